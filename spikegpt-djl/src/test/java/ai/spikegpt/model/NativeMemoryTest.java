package ai.spikegpt.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.spikegpt.training.LanguageModelLoss;
import org.junit.jupiter.api.Test;

/**
 * Repeated forward (and backward) passes whose data live in a per-call manager leave nothing behind
 * in the model's manager: DJL attaches results to the first operand's manager, so a result derived
 * from parameters alone would otherwise accumulate there on every call.
 */
class NativeMemoryTest {

    @Test
    void repeatedPassesLeaveNoArraysInTheModelManager() {
        SpikeGptConfig config =
                SpikeGptConfig.builder()
                        .setVocabSize(30)
                        .setEmbeddingSize(16)
                        .setLayers(2)
                        .optVariant(Variant.SPIKEGPT_B)
                        .optLearnableTau(true)
                        .optLearnableThreshold(true)
                        .optLabels(java.util.List.of("a", "b"))
                        .optDropout(0.1f)
                        .build();
        Engine.getInstance().setRandomSeed(5);
        try (NDManager manager = NDManager.newBaseManager()) {
            SpikeGptClassifier classifier = new SpikeGptClassifier(config);
            classifier.initialize(manager, DataType.FLOAT32, new Shape(2, 6));
            SpikeGptModel model = classifier.getModel();
            ParameterStore ps = new ParameterStore(manager, false);
            // a caller-owned state that lives as long as the model, e.g. a chat session's
            SpikeGptState longLived = SpikeGptState.zeros(manager, config, 2);
            int[] counts = new int[4];
            for (int round = 0; round < 4; round++) {
                try (NDManager call = manager.newSubManager()) {
                    NDArray tokens = call.randomInteger(0, 30, new Shape(2, 6), DataType.INT64);
                    model.forward(ps, tokens, longLived, false, null);
                    try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                        model.forward(ps, tokens, longLived, true, null); // training from a state
                    }
                    classifier.classify(ps, tokens, call.ones(new Shape(2, 6)), false);
                    try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                        NDArray logits = model.forward(ps, tokens, null, true, null).logits();
                        gc.backward(
                                new LanguageModelLoss(true)
                                        .evaluate(new NDList(tokens), new NDList(logits)));
                    }
                }
                counts[round] = manager.getManagedArrays().size();
            }
            assertEquals(
                    counts[1], counts[3], "arrays in the model's manager after rounds 2 and 4");
        }
    }
}
