package ai.spikegpt.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.spikegpt.nn.ResetMode;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpikeGptConfigTest {

    private static final String REFERENCE =
            "{\"vocab_size\": 64, \"n_embd\": 32, \"n_layer\": 2, \"ctx_len\": 16, \"ffn_mult\": 4,"
                    + " \"tau\": 2.0, \"v_threshold\": 1.0, \"v_reset\": 0.0, \"alpha\": 2.0, \"dropout\": 0.0,"
                    + " \"ln_eps\": 1e-05, \"n_classes\": 2}";

    @Test
    void readsTheReferenceConfig() {
        SpikeGptConfig c = SpikeGptConfig.fromJson(REFERENCE);
        assertEquals(64, c.getVocabSize());
        assertEquals(32, c.getEmbeddingSize());
        assertEquals(2, c.getLayers());
        assertEquals(128, c.getFfnHiddenSize());
        assertEquals(2, c.getClasses());
        assertEquals(List.of("class0", "class1"), c.getLabels());
        assertEquals(Variant.SPIKEGPT, c.getVariant());
        assertTrue(c.isBinaryEmbedding());
        assertEquals(ResetMode.HARD, c.getResetMode());
        assertEquals("arctan", c.getSurrogate().name());
        assertEquals(c, SpikeGptConfig.fromJson(c.toJson()), "JSON round trip");
    }

    @Test
    void builderAndVariants() {
        SpikeGptConfig c =
                SpikeGptConfig.builder()
                        .setVocabSize(100)
                        .setEmbeddingSize(16)
                        .setLayers(3)
                        .optVariant(Variant.RWKV)
                        .optLabels(List.of("negative", "positive"))
                        .build();
        assertFalse(c.isBinaryEmbedding(), "vanilla RWKV has a real-valued embedding");
        assertEquals(2, c.getClasses());
        assertTrue(c.toJson().contains("\"variant\": \"rwkv\""), c.toJson());
        SpikeGptConfig b = c.toBuilder().optVariant(Variant.SPIKEGPT_B).build();
        assertEquals(Variant.SPIKEGPT_B, b.getVariant());
        assertEquals(Variant.RWKV, c.getVariant(), "toBuilder copies");
    }

    @Test
    void textNormalizationIsPartOfTheModel() {
        SpikeGptConfig c =
                SpikeGptConfig.fromJson(
                        "{\"vocab_size\": 4, \"n_embd\": 8, \"n_layer\": 1, \"text_normalization\": \"PTB-lowercase\"}");
        assertEquals(
                ai.spikegpt.tokenizer.TextNormalization.PTB_LOWERCASE, c.getTextNormalization());
        assertTrue(c.toJson().contains("\"text_normalization\": \"ptb_lowercase\""), c.toJson());
        SpikeGptConfig plain =
                c.toBuilder()
                        .optTextNormalization(ai.spikegpt.tokenizer.TextNormalization.NONE)
                        .build();
        assertEquals(ai.spikegpt.tokenizer.TextNormalization.NONE, plain.getTextNormalization());
        assertTrue(
                !plain.toJson().contains("text_normalization"),
                "none is the default and not written");
        assertMessage(
                "text_normalization",
                "{\"vocab_size\": 4, \"n_embd\": 8, \"n_layer\": 1, \"text_normalization\": \"nfkc\"}");
    }

    @Test
    void rejectsBadInputWithHelpfulMessages() {
        assertMessage(
                "did you mean 'n_embd'", "{\"vocab_size\": 4, \"n_embed\": 8, \"n_layer\": 1}");
        assertMessage("misses the required key 'n_layer'", "{\"vocab_size\": 4, \"n_embd\": 8}");
        assertMessage(
                "tau = 0.5", "{\"vocab_size\": 4, \"n_embd\": 8, \"n_layer\": 1, \"tau\": 0.5}");
        assertMessage(
                "dropout = 1.0",
                "{\"vocab_size\": 4, \"n_embd\": 8, \"n_layer\": 1, \"dropout\": 1.0}");
        assertMessage("n_layer = 0", "{\"vocab_size\": 4, \"n_embd\": 8, \"n_layer\": 0}");
        assertMessage(
                "unknown surrogate 'tanh'",
                "{\"vocab_size\": 4, \"n_embd\": 8, \"n_layer\": 1, \"surrogate\": \"tanh\"}");
        assertMessage(
                "exactly n_classes = 3",
                "{\"vocab_size\": 4, \"n_embd\": 8, \"n_layer\": 1, \"n_classes\": 3, \"labels\": [\"a\", \"b\"]}");
        assertMessage("not valid JSON", "{\"vocab_size\": 4,");
        assertMessage("wrong type", "{\"vocab_size\": \"many\", \"n_embd\": 8, \"n_layer\": 1}");
        assertMessage(
                "init.scheme",
                "{\"vocab_size\": 4, \"n_embd\": 8, \"n_layer\": 1, \"init\": {\"scheme\": \"xavier\"}}");
        assertMessage(
                "v_reset", "{\"vocab_size\": 4, \"n_embd\": 8, \"n_layer\": 1, \"v_reset\": 1.5}");
    }

    private static void assertMessage(String expected, String json) {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> SpikeGptConfig.fromJson(json), json);
        assertTrue(
                e.getMessage().contains(expected),
                "'" + e.getMessage() + "' should mention '" + expected + "'");
    }
}
