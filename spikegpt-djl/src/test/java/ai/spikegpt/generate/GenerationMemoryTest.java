package ai.spikegpt.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoopTranslator;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.model.SpikeGptModel;
import ai.spikegpt.tokenizer.CharTokenizer;
import ai.spikegpt.translator.StreamingTextGenerationTranslator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * A generation holds as many native arrays at its 20,000th token as at its 1,000th, whichever way
 * it runs: each step frees the previous step's input and logits, and the stream's per-token outputs
 * are freed once read. Before, every token left its logits (and input) behind until the generation
 * ended: 32 KB a token with a GPT-2 vocabulary.
 */
class GenerationMemoryTest {

    private static final int TOKENS = 20_000;
    private static final int SAMPLE_EVERY = 1_000;
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz .,\n";
    private static final SpikeGptConfig CONFIG =
            SpikeGptConfig.builder()
                    .setVocabSize(ALPHABET.length())
                    .setEmbeddingSize(16)
                    .setLayers(1)
                    .optContextLength(8)
                    .optDropout(0f)
                    .build();

    /** Seeded sampling without a stop token, so the generation really runs to {@link #TOKENS}. */
    private static final SamplingConfig SAMPLING =
            SamplingConfig.builder().optTemperature(1f).optMaxTokens(TOKENS).optSeed(3).build();

    private static final long[] PROMPT = {1, 2, 3};

    private static SpikeGptModel model(NDManager manager) {
        Engine.getInstance().setRandomSeed(11);
        SpikeGptModel model = new SpikeGptModel(CONFIG);
        model.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
        return model;
    }

    @Test
    void theGeneratorHoldsAConstantNumberOfArrays() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequenceModel lm = SequenceModel.of(model(manager), new ParameterStore(manager, false));
            assertConstant(
                    liveArraysWhileGenerating(
                            lm, manager, () -> manager.getManagedArrays().size()));
        }
    }

    @Test
    void generationThroughAPredictorHoldsAConstantNumberOfArrays() {
        try (Model djl = Model.newInstance("spikegpt");
                NDManager manager = NDManager.newBaseManager()) {
            djl.setBlock(model(djl.getNDManager()));
            try (Predictor<NDList, NDList> predictor = djl.newPredictor(new NoopTranslator())) {
                SequenceModel lm = SequenceModel.of(predictor, CONFIG);
                IntSupplier live =
                        () ->
                                manager.getManagedArrays().size()
                                        + djl.getNDManager().getManagedArrays().size();
                assertConstant(liveArraysWhileGenerating(lm, manager, live));
            }
        }
    }

    @Test
    void theStreamingPredictorHoldsAConstantNumberOfArrays() throws Exception {
        try (Model djl = Model.newInstance("spikegpt")) {
            djl.setBlock(model(djl.getNDManager()));
            StreamingTextGenerationTranslator translator =
                    new StreamingTextGenerationTranslator(
                            CharTokenizer.fit(ALPHABET), SAMPLING, 100);
            try (Predictor<String, Iterator<String>> predictor = djl.newPredictor(translator)) {
                Iterator<String> pieces = predictor.streamingPredict("abc").getIterativeOutput();
                List<Integer> live = new ArrayList<>();
                int read = 0;
                while (pieces.hasNext()) {
                    pieces.next(); // one character a token
                    if (++read % SAMPLE_EVERY == 0) {
                        live.add(djl.getNDManager().getManagedArrays().size());
                    }
                }
                assertEquals(TOKENS, read);
                assertConstant(live);
            }
        }
    }

    /** Generates {@link #TOKENS} tokens, counting the live arrays every {@link #SAMPLE_EVERY}. */
    private static List<Integer> liveArraysWhileGenerating(
            SequenceModel lm, NDManager manager, IntSupplier live) {
        List<Integer> counts = new ArrayList<>();
        int[] produced = {0};
        long[] generated =
                new SpikeGptGenerator(lm)
                        .generate(
                                manager,
                                PROMPT,
                                SAMPLING,
                                token -> {
                                    if (++produced[0] % SAMPLE_EVERY == 0) {
                                        counts.add(live.getAsInt());
                                    }
                                    return true;
                                });
        assertEquals(TOKENS, generated.length);
        return counts;
    }

    private static void assertConstant(List<Integer> counts) {
        assertEquals(TOKENS / SAMPLE_EVERY, counts.size());
        assertEquals(
                Collections.nCopies(counts.size(), counts.get(0)),
                counts,
                "live arrays every " + SAMPLE_EVERY + " tokens");
    }
}
