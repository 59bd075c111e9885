package ai.spikegpt.io.torch;

import static ai.spikegpt.TestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.spikegpt.ReferenceVectors;
import ai.spikegpt.io.ModelIO;
import ai.spikegpt.io.Safetensors;
import ai.spikegpt.model.SpikeGptClassifier;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.model.SpikeGptModel;
import ai.spikegpt.model.Variant;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Giving weights back to PyTorch: names, shapes, metadata, and the reference loading them. */
class CheckpointExportTest {

    @TempDir Path dir;

    @Test
    void exportHasTheOriginalNamesShapesValuesAndReferenceConfig() throws IOException {
        ReferenceVectors v = ReferenceVectors.load("tiny");
        Path out = dir.resolve("tiny.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            SpikeGptClassifier classifier = ModelIO.loadClassifier(v.weightsFile(), null, manager);
            CheckpointExport.Result result =
                    CheckpointExport.write(classifier, v.config, out, DataType.FLOAT32);
            assertEquals(42, result.languageModelTensors());
            assertEquals(2, result.classifierTensors());
            assertEquals(dir.resolve("tiny.classifier.safetensors"), result.classifier());
        }
        Safetensors lm = Safetensors.open(out);
        List<String> expected = new ArrayList<>(v.weights.shapes().keySet());
        expected.removeIf(n -> n.startsWith("classifier."));
        assertEquals(
                expected,
                new ArrayList<>(lm.shapes().keySet()),
                "the original state_dict names, in order");
        for (String name : expected) {
            assertEquals(v.weights.shapes().get(name), lm.shapes().get(name), name);
            assertEquals("F32", lm.dtype(name));
            assertArrayEquals(v.weights.floats(name), lm.floats(name), name);
        }
        assertEquals(new Shape(1, 1, 32), lm.shapes().get("blocks.0.att.time_mix_k"));
        assertEquals(new Shape(32), lm.shapes().get("blocks.0.att.time_decay"));

        JsonObject config = JsonParser.parseString(lm.metadata().get("config")).getAsJsonObject();
        assertEquals(
                CheckpointExport.REFERENCE_KEYS,
                new ArrayList<>(config.keySet()),
                "exactly the reference's keys");
        assertEquals(0, config.get("n_classes").getAsInt(), "the language model file has no head");
        assertEquals(64, config.get("vocab_size").getAsInt());
        assertEquals(16, config.get("ctx_len").getAsInt());
        assertEquals(1e-5, config.get("ln_eps").getAsDouble(), 0);
        assertEquals(2.0, config.get("tau").getAsDouble(), 0);
        assertEquals("pt", lm.metadata().get("format"));
        assertEquals(
                v.config,
                SpikeGptConfig.fromJson(lm.metadata().get(CheckpointImport.FULL_CONFIG_KEY)));

        Safetensors head = Safetensors.open(CheckpointExport.classifierFile(out));
        assertEquals(
                List.of("classifier.weight", "classifier.bias"),
                new ArrayList<>(head.shapes().keySet()));
        assertArrayEquals(v.weights.floats("classifier.weight"), head.floats("classifier.weight"));
        assertEquals(
                2,
                JsonParser.parseString(head.metadata().get("config"))
                        .getAsJsonObject()
                        .get("n_classes")
                        .getAsInt());
    }

    @Test
    void exportImportsBackToTheSameModel() throws IOException {
        ReferenceVectors v = ReferenceVectors.load("tiny");
        SpikeGptConfig quirks =
                v.config.toBuilder()
                        .optClasses(0)
                        .optBinaryEmbedding(false)
                        .optRescaleEvery(6)
                        .build();
        Path out = dir.resolve("lm.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            SpikeGptModel model = ModelIO.loadLanguageModel(v.weightsFile(), quirks, manager);
            CheckpointExport.Result result =
                    CheckpointExport.write(model, quirks, out, DataType.FLOAT16);
            assertNull(result.classifier(), "a language model has no head file");
            assertFalse(Files.exists(CheckpointExport.classifierFile(out)));
            assertEquals("F16", Safetensors.open(out).dtype("emb.weight"));

            CheckpointImport back = CheckpointImport.builder().setCheckpoint(out).build();
            assertEquals(
                    quirks,
                    back.getConfig(),
                    "the full configuration, switches included, comes back");
            SpikeGptModel imported = (SpikeGptModel) back.load(manager);
            NDArray tokens = v.array(manager, "tokens");
            // fp16 storage: close to the modelrun logits (no spike flips)
            assertClose(
                    v.floats("rnn_logits_modelrun"),
                    CheckpointImportTest.recurrent(imported, manager, tokens),
                    2e-3,
                    "fp16 export, imported back");
        }
    }

    @Test
    void refusesModelsTheOriginalCannotRun() throws IOException {
        SpikeGptConfig b =
                SpikeGptConfig.builder()
                        .setVocabSize(16)
                        .setEmbeddingSize(8)
                        .setLayers(1)
                        .optVariant(Variant.SPIKEGPT_B)
                        .build();
        SpikeGptConfig learnable =
                SpikeGptConfig.builder()
                        .setVocabSize(16)
                        .setEmbeddingSize(8)
                        .setLayers(1)
                        .optLearnableTau(true)
                        .build();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (SpikeGptConfig c : new SpikeGptConfig[] {b, learnable}) {
                SpikeGptModel model = new SpikeGptModel(c);
                model.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
                Path out = dir.resolve("x.safetensors");
                IllegalArgumentException e =
                        assertThrows(
                                IllegalArgumentException.class,
                                () -> CheckpointExport.write(model, c, out, DataType.FLOAT32));
                assertTrue(
                        e.getMessage().contains("the original SpikeGPT cannot run this model"),
                        e.getMessage());
                assertTrue(
                        e.getMessage().contains(c == b ? "spikegpt-b variant" : "learnable tau"),
                        e.getMessage());
                assertFalse(Files.exists(out));
            }
        }
    }

    @Test
    void theReferenceLoadsTheExportStrictlyAndGivesTheSameLogits() throws Exception {
        PythonReference python = PythonReference.require();
        ReferenceVectors v = ReferenceVectors.load("tiny");
        Path out = dir.resolve("export.safetensors");
        Path result = dir.resolve("python.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            SpikeGptClassifier classifier = ModelIO.loadClassifier(v.weightsFile(), null, manager);
            CheckpointExport.write(classifier, v.config, out, DataType.FLOAT32);
            python.runScript(
                    "reference_logits.py",
                    out.toString(),
                    v.dir.resolve("expected.safetensors").toString(),
                    result.toString());
            Safetensors py = Safetensors.open(result);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray tokens = v.array(manager, "tokens");
            float[] javaLogits =
                    CheckpointImportTest.parallel(classifier.getModel(), manager, tokens);
            assertClose(
                    javaLogits, py.floats("logits"), 1e-5, "Python logits of the export vs Java");
            assertClose(
                    v.floats("logits"),
                    py.floats("logits"),
                    1e-5,
                    "Python logits of the export vs the vectors");
            float[] javaNlu =
                    classifier
                            .classify(
                                    ps,
                                    v.array(manager, "nlu_tokens"),
                                    v.array(manager, "nlu_mask"),
                                    false)
                            .toFloatArray();
            assertClose(
                    javaNlu,
                    py.floats("nlu_logits"),
                    1e-5,
                    "Python classifier (merged files) vs Java");
        }
    }
}
