package ai.spikegpt.io.torch;

import static ai.spikegpt.TestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.spikegpt.ReferenceVectors;
import ai.spikegpt.TestSupport;
import ai.spikegpt.io.Safetensors;
import ai.spikegpt.io.TensorSource;
import ai.spikegpt.model.SpikeGptClassifier;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.model.SpikeGptModel;
import ai.spikegpt.model.SpikeGptState;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Importing checkpoints: the inferred configuration, the reproduced logits and the switches, and
 * the errors.
 */
class CheckpointImportTest {

    @TempDir Path dir;

    @ParameterizedTest
    @CsvSource({"fp32, F32, 1e-5", "fp16, F16, 2e-3", "bf16, BF16, 1e-2"})
    void importedTinyCheckpointsReproduceTheLogits(String precision, String dtype, double atol)
            throws IOException {
        ReferenceVectors v = ReferenceVectors.load("tiny");
        CheckpointImport imported =
                CheckpointImport.builder()
                        .setCheckpoint(TorchCheckpointTest.tinyCheckpoint(precision))
                        .build();
        SpikeGptConfig c = imported.getConfig();
        assertEquals("inferred from the tensors", imported.getConfigSource());
        assertEquals("torch.save zip", imported.getFormat());
        assertEquals(64, c.getVocabSize());
        assertEquals(32, c.getEmbeddingSize());
        assertEquals(2, c.getLayers());
        assertEquals(4, c.getFfnMultiplier());
        assertEquals(0, c.getClasses());
        assertTrue(c.isBinaryEmbedding(), "default: the trained model's binary embedding");
        assertEquals(0, c.getRescaleEvery(), "default: no rescale");
        assertEquals(42, imported.getTensorCount());
        assertEquals(Map.of(dtype, 42), imported.getStoredTypes());
        try (NDManager manager = NDManager.newBaseManager()) {
            SpikeGptModel model = assertInstanceOf(SpikeGptModel.class, imported.load(manager));
            NDArray tokens = v.array(manager, "tokens");
            // fp32 is exact; the rounded copies stay close: no spike flips (a flip moves a logit by
            // O(1))
            assertClose(
                    v.floats("logits"),
                    parallel(model, manager, tokens),
                    atol,
                    precision + " logits");
        }
    }

    @Test
    void quirkSwitchesReproduceTheOriginalRnnScriptOnTiny() throws IOException {
        ReferenceVectors v = ReferenceVectors.load("tiny");
        CheckpointImport imported =
                CheckpointImport.builder()
                        .setCheckpoint(TorchCheckpointTest.tinyCheckpoint("fp32"))
                        .optBinaryEmbedding(false)
                        .optRescaleEvery(6)
                        .build();
        assertFalse(imported.getConfig().isBinaryEmbedding());
        assertEquals(6, imported.getConfig().getRescaleEvery());
        try (NDManager manager = NDManager.newBaseManager()) {
            SpikeGptModel model = (SpikeGptModel) imported.load(manager);
            NDArray tokens = v.array(manager, "tokens");
            assertClose(
                    v.floats("rnn_logits_modelrun"),
                    recurrent(model, manager, tokens),
                    1e-5,
                    "rnn_logits_modelrun");
        }
    }

    static Path resource(String name) {
        try {
            return Paths.get(CheckpointImportTest.class.getResource("/torch/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void eightLayerCheckpointNeedsTheRescaleSwitchToMatchTheOriginalRnn() throws IOException {
        // made by src/test/resources/torch/make_l8_checkpoint.py with the Python reference
        Safetensors expected = Safetensors.open(resource("l8-expected.safetensors"));
        float[] modelrun = expected.floats("rnn_modelrun");
        float[] noRescale = expected.floats("rnn_no_rescale");
        assertTrue(
                maxDiff(modelrun, noRescale) > 0.5, "at 8 layers the halving changes the logits");
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray tokens = expected.longArray(manager, "tokens");
            CheckpointImport trained =
                    CheckpointImport.builder().setCheckpoint(resource("l8.pth")).build();
            assertEquals(8, trained.getConfig().getLayers());
            assertEquals(16, trained.getConfig().getEmbeddingSize());
            SpikeGptModel model = (SpikeGptModel) trained.load(manager);
            assertClose(
                    expected.floats("logits"),
                    parallel(model, manager, tokens),
                    1e-5,
                    "trained semantics");

            for (int rescale : new int[] {6, 0}) {
                CheckpointImport quirks =
                        CheckpointImport.builder()
                                .setCheckpoint(resource("l8.pth"))
                                .optBinaryEmbedding(false)
                                .optRescaleEvery(rescale)
                                .build();
                SpikeGptModel q = (SpikeGptModel) quirks.load(manager);
                assertClose(
                        rescale == 6 ? modelrun : noRescale,
                        recurrent(q, manager, tokens),
                        1e-5,
                        "step(binary_emb=False, rescale_every=" + rescale + ")");
            }
        }
    }

    @Test
    void safetensorsCheckpointsBringTheirConfiguration() throws IOException {
        // the reference's weights file: config in __metadata__ (n_classes 2) and classifier.*
        // tensors
        ReferenceVectors v = ReferenceVectors.load("tiny");
        CheckpointImport imported =
                CheckpointImport.builder().setCheckpoint(v.weightsFile()).build();
        assertEquals("safetensors", imported.getFormat());
        assertEquals("the file's metadata", imported.getConfigSource());
        assertEquals(v.config, imported.getConfig());
        try (NDManager manager = NDManager.newBaseManager()) {
            SpikeGptClassifier classifier =
                    assertInstanceOf(SpikeGptClassifier.class, imported.load(manager));
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray tokens = v.array(manager, "nlu_tokens");
            NDArray mask = v.array(manager, "nlu_mask");
            assertClose(
                    v.floats("nlu_logits"),
                    classifier.classify(ps, tokens, mask, false).toFloatArray(),
                    1e-5,
                    "nlu_logits");
        }
    }

    /** Copies the tiny LM into a torch.save archive, changed by {@code edit}. */
    private Path tinyVariant(
            String file, UnaryOperator<Map<String, float[]>> edit, Map<String, long[]> shapes)
            throws IOException {
        TensorSource weights = ReferenceVectors.load("tiny").weights;
        Map<String, float[]> values = new java.util.LinkedHashMap<>();
        for (String name : weights.shapes().keySet()) {
            if (!name.startsWith("classifier.")) {
                values.put(name, weights.floats(name));
            }
        }
        values = edit.apply(values);
        TorchZip zip = new TorchZip();
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            long[] shape =
                    shapes.containsKey(e.getKey())
                            ? shapes.get(e.getKey())
                            : weights.shapes().get(e.getKey()).getShape();
            zip.add(e.getKey(), shape, e.getValue());
        }
        return zip.write(dir.resolve(file));
    }

    private String importError(Path file, SpikeGptConfig config) {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> {
                            CheckpointImport imported =
                                    CheckpointImport.builder()
                                            .setCheckpoint(file)
                                            .optConfig(config)
                                            .build();
                            try (NDManager manager = NDManager.newBaseManager()) {
                                imported.load(manager);
                            }
                        });
        return e.getMessage();
    }

    @Test
    void missingExtraAndMisshapedTensorsAreNamed() throws IOException {
        String m =
                importError(
                        tinyVariant(
                                "missing.pth",
                                t -> {
                                    t.remove("blocks.1.att.key.weight");
                                    return t;
                                },
                                Map.of()),
                        null);
        assertTrue(
                m.contains(
                        "lacks tensor 'blocks.1.att.key.weight' that SpikeGPT[spikegpt L2 C32 V64"),
                m);
        assertTrue(
                m.contains(
                        "inferred from the checkpoint's own tensors, so the checkpoint is incomplete"),
                m);

        m =
                importError(
                        tinyVariant(
                                "extra.pth",
                                t -> {
                                    t.put("blocks.0.att.bonus", new float[32]);
                                    return t;
                                },
                                Map.of("blocks.0.att.bonus", new long[] {32})),
                        null);
        assertTrue(
                m.contains("has tensor 'blocks.0.att.bonus' that SpikeGPT[spikegpt L2 C32 V64"), m);
        assertTrue(m.contains("has no place for"), m);

        m =
                importError(
                        tinyVariant(
                                "shape.pth",
                                t -> t,
                                Map.of("blocks.1.ffn.value.weight", new long[] {64, 64})),
                        null);
        assertTrue(
                m.contains("tensor 'blocks.1.ffn.value.weight'")
                        && m.contains("has shape (64, 64)")
                        && m.contains("expects (32, 128)"),
                m);

        m =
                importError(
                        tinyVariant(
                                "gap.pth",
                                t -> {
                                    t.keySet().removeIf(n -> n.startsWith("blocks.0."));
                                    return t;
                                },
                                Map.of()),
                        null);
        assertTrue(m.contains("none of block(s) [0]"), m);

        m =
                importError(
                        tinyVariant(
                                "noemb.pth",
                                t -> {
                                    t.remove("emb.weight");
                                    return t;
                                },
                                Map.of()),
                        null);
        assertTrue(
                m.contains("has no tensor 'emb.weight'") && m.contains("not a SpikeGPT state dict"),
                m);

        // the original's users' trap: a configuration with more layers than the checkpoint
        Path good = TorchCheckpointTest.tinyCheckpoint("fp32");
        SpikeGptConfig threeLayers =
                SpikeGptConfig.builder().setVocabSize(64).setEmbeddingSize(32).setLayers(3).build();
        m = importError(good, threeLayers);
        assertTrue(
                m.contains("lacks tensor 'blocks.2.ln1.weight'")
                        && m.contains("the file holds 2 blocks")
                        && m.contains("emb.weight (64, 32)"),
                m);
        SpikeGptConfig wideEmbedding =
                SpikeGptConfig.builder().setVocabSize(64).setEmbeddingSize(48).setLayers(2).build();
        m = importError(good, wideEmbedding);
        assertTrue(
                m.contains(
                        "has shape (64, 32) but SpikeGPT[spikegpt L2 C48 V64 ctx1024] expects (64, 48)"),
                m);
    }

    static float[] parallel(SpikeGptModel model, NDManager manager, NDArray tokens) {
        return model.forward(new ParameterStore(manager, false), tokens, null, false, null)
                .logits()
                .toFloatArray();
    }

    /** One token at a time from the empty state (the recurrent form). */
    static float[] recurrent(SpikeGptModel model, NDManager manager, NDArray tokens) {
        ParameterStore ps = new ParameterStore(manager, false);
        SpikeGptState state =
                SpikeGptState.zeros(manager, model.getConfig(), (int) tokens.getShape().get(0));
        return TestSupport.stepByStep(model, ps, tokens, state).toFloatArray();
    }

    static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
