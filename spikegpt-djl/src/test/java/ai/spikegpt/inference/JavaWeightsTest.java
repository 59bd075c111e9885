package ai.spikegpt.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.spikegpt.model.SpikeGptConfig;
import org.junit.jupiter.api.Test;

/** What {@link JavaWeights} refuses from a {@link WeightSource}. */
class JavaWeightsTest {

    private static final SpikeGptConfig CONFIG =
            SpikeGptConfig.builder().setLayers(1).setEmbeddingSize(8).setVocabSize(10).build();

    @Test
    void refusesAWeightOfTheWrongSize() {
        // every weight the right size except att.key, which has one row too few
        WeightSource source =
                name -> {
                    int c = 8;
                    int size =
                            name.equals("emb.weight") || name.equals("head.weight")
                                    ? 10 * c
                                    : name.endsWith("att.key.weight")
                                            ? c * c - c
                                            : name.endsWith("ffn.key.weight")
                                                            || name.endsWith("ffn.value.weight")
                                                    ? CONFIG.getFfnHiddenSize() * c
                                                    : name.endsWith("ffn.receptance.weight")
                                                                    || name.contains(".att.")
                                                                            && name.endsWith(
                                                                                    ".weight")
                                                            ? c * c
                                                            : c;
                    return new float[size];
                };
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> JavaWeights.languageModel(CONFIG, source, WeightFormat.FP32));
        assertEquals(
                "weight blocks.0.att.key.weight has 56 values, the configuration needs 64",
                e.getMessage());
    }

    @Test
    void refusesAClassifierWithoutClasses() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                JavaWeights.classifier(
                                        CONFIG, name -> new float[0], WeightFormat.FP32));
        assertEquals(
                "the configuration has no classification head (n_classes = 0)", e.getMessage());
    }
}
