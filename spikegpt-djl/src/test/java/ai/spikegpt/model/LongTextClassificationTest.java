package ai.spikegpt.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The classifier reads a text longer than its chunk length (by default the context length) chunk by
 * chunk, carrying the recurrent state: the answer is the single pass's, and the memory it holds
 * does not grow with the text.
 */
class LongTextClassificationTest {

    private static final SpikeGptConfig CONFIG =
            SpikeGptConfig.builder()
                    .setVocabSize(30)
                    .setEmbeddingSize(16)
                    .setLayers(2)
                    .optContextLength(32)
                    .optLabels(List.of("a", "b"))
                    .optDropout(0f)
                    .build();

    private static SpikeGptClassifier classifier(NDManager manager) {
        Engine.getInstance().setRandomSeed(13);
        SpikeGptClassifier classifier = new SpikeGptClassifier(CONFIG);
        classifier.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
        return classifier;
    }

    @Test
    void chunksGiveTheSingleParallelPassProbabilities() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SpikeGptClassifier classifier = classifier(manager);
            ParameterStore ps = new ParameterStore(manager, false);
            long[] lengths = {20, 13, 5}; // right-padded to 20, within one context of 32
            NDArray tokens = manager.randomInteger(0, 30, new Shape(3, 20), DataType.INT64);
            NDArray mask =
                    manager.arange(20f)
                            .expandDims(0)
                            .lt(manager.create(lengths).expandDims(1))
                            .toType(DataType.FLOAT32, false);
            float[] single =
                    classifier.classify(ps, tokens, mask, false).softmax(-1).toFloatArray();

            List<Long> chunkLengths = new ArrayList<>();
            classifier
                    .getModel()
                    .setActivationRecorder(
                            (layer, name, value) -> {
                                if ("emb".equals(name)) {
                                    chunkLengths.add(value.getShape().get(1));
                                }
                            });
            classifier.setChunkLength(7);
            float[] chunked =
                    classifier.classify(ps, tokens, mask, false).softmax(-1).toFloatArray();
            assertEquals(
                    List.of(7L, 7L, 6L), chunkLengths, "the model read the batch in chunks of 7");
            assertArrayEquals(single, chunked, 1e-5f);
        }
    }

    @Test
    void aTextOfFiftyThousandTokensHoldsNoMoreMemoryThanOneOfFiveThousand() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SpikeGptClassifier classifier = classifier(manager);
            ParameterStore ps = new ParameterStore(manager, false);
            long peakShort = peakBytesWhileClassifying(classifier, ps, manager, 5_000);
            int arrays = manager.getManagedArrays().size();
            long peakLong = peakBytesWhileClassifying(classifier, ps, manager, 50_000);
            assertEquals(
                    peakShort,
                    peakLong,
                    "the most bytes held at once, besides the input, for 5,000 and "
                            + "50,000 tokens");
            assertEquals(
                    arrays,
                    manager.getManagedArrays().size(),
                    "arrays left after a classification");
        }
    }

    /**
     * Classifies a random text of {@code length} tokens and returns the most bytes its arrays held
     * at once, the input's aside, sampled whenever the model reports an intermediate value.
     */
    private static long peakBytesWhileClassifying(
            SpikeGptClassifier classifier, ParameterStore ps, NDManager manager, int length) {
        try (NDManager call = manager.newSubManager()) {
            NDArray tokens = call.randomInteger(0, 30, new Shape(1, length), DataType.INT64);
            NDArray mask = call.ones(new Shape(1, length));
            long[] peak = {0};
            classifier
                    .getModel()
                    .setActivationRecorder(
                            (layer, name, value) -> {
                                long bytes =
                                        manager.getManagedArrays().stream()
                                                .filter(a -> a != tokens && a != mask)
                                                .mapToLong(
                                                        a ->
                                                                a.size()
                                                                        * a.getDataType()
                                                                                .getNumOfBytes())
                                                .sum();
                                peak[0] = Math.max(peak[0], bytes);
                            });
            float[] probabilities =
                    classifier.classify(ps, tokens, mask, false).softmax(-1).toFloatArray();
            classifier.getModel().setActivationRecorder(null);
            assertTrue(Float.isFinite(probabilities[0]) && Float.isFinite(probabilities[1]));
            assertEquals(1f, probabilities[0] + probabilities[1], 1e-5f);
            return peak[0];
        }
    }
}
