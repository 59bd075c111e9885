package ai.spikegpt.io.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.spikegpt.TestSupport;
import ai.spikegpt.generate.SamplingConfig;
import ai.spikegpt.generate.SequenceModel;
import ai.spikegpt.generate.SpikeGptGenerator;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.model.SpikeGptModel;
import ai.spikegpt.model.SpikeGptState;
import ai.spikegpt.tokenizer.BpeTokenizer;
import ai.spikegpt.tokenizer.TextTokenizer;
import ai.spikegpt.translator.SpikeGptTranslatorFactory;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end with the original 216M model's vocabulary: the Python reference makes a small SpikeGPT
 * with the 50277-token GPT-NeoX vocabulary and {@code torch.save}s it; Java imports it with {@code
 * 20B_tokenizer.json} into a model directory, loads that, and generates greedily one token at a
 * time with the carried state, as the reference did.
 */
class NeoxImportTest {

    @TempDir Path dir;

    @Test
    void importsANeoxVocabularyCheckpointAndGeneratesLikeTheReference() throws Exception {
        PythonReference python = PythonReference.require();
        Path tokenizerFile = TestSupport.shared().resolve("data/tokenizers/20B_tokenizer.json");
        String prompt = "The spiking neuron";
        long[] promptIds;
        try (BpeTokenizer tokenizer = BpeTokenizer.load(tokenizerFile)) {
            assertEquals(50277, tokenizer.vocabSize());
            promptIds = tokenizer.encode(prompt);
        }
        int n = 8;
        Path checkpoint = dir.resolve("neox.pth");
        String ids =
                Arrays.stream(promptIds).mapToObj(Long::toString).collect(Collectors.joining(","));
        JsonObject ref =
                JsonParser.parseString(
                                python.runScript(
                                                "make_neox_checkpoint.py",
                                                checkpoint.toString(),
                                                ids,
                                                Integer.toString(n))
                                        .trim())
                        .getAsJsonObject();

        // import: configuration inferred from the tensors, tokenizer checked against the vocabulary
        Path modelDir = dir.resolve("model");
        try (NDManager manager = NDManager.newBaseManager();
                BpeTokenizer tokenizer = BpeTokenizer.load(tokenizerFile)) {
            CheckpointImport imported =
                    CheckpointImport.builder().setCheckpoint(checkpoint).build();
            assertEquals(50277, imported.getConfig().getVocabSize());
            assertEquals(32, imported.getConfig().getEmbeddingSize());
            assertEquals(2, imported.getConfig().getLayers());
            ModelDirectory.save(
                    modelDir,
                    imported.load(manager),
                    imported.getConfig(),
                    tokenizer,
                    DataType.FLOAT32,
                    null);
        }

        try (NDManager manager = NDManager.newBaseManager();
                TextTokenizer tokenizer = ModelDirectory.tokenizer(modelDir)) {
            SpikeGptModel model = ModelDirectory.loadLanguageModel(modelDir, manager);
            ParameterStore ps = new ParameterStore(manager, false);
            SpikeGptState state = SpikeGptState.zeros(manager, model.getConfig(), 1);
            NDArray logits = null;
            for (long id : promptIds) {
                SpikeGptModel.Output out =
                        model.forward(
                                ps,
                                manager.create(new long[] {id}, new Shape(1, 1)),
                                state,
                                false,
                                null);
                logits = out.logits();
                state = out.state();
            }
            float[] first = logits.toFloatArray();
            JsonArray topIds = ref.getAsJsonArray("first_top_ids");
            JsonArray topLogits = ref.getAsJsonArray("first_top_logits");
            for (int i = 0; i < topIds.size(); i++) {
                assertEquals(
                        topLogits.get(i).getAsFloat(),
                        first[topIds.get(i).getAsInt()],
                        1e-5,
                        "logit of token " + topIds.get(i) + " after the prompt");
            }
            long[] generated = new long[n];
            for (int i = 0; i < n; i++) {
                generated[i] = logits.argMax(-1).toLongArray()[0];
                SpikeGptModel.Output out =
                        model.forward(
                                ps,
                                manager.create(new long[] {generated[i]}, new Shape(1, 1)),
                                state,
                                false,
                                null);
                logits = out.logits();
                state = out.state();
            }
            assertEquals(
                    topIds.get(0).getAsLong(),
                    generated[0],
                    "first generated token = argmax of the reference");
            long[] expected = new long[n];
            for (int i = 0; i < n; i++) {
                expected[i] = ref.getAsJsonArray("generated").get(i).getAsLong();
            }
            assertArrayEquals(expected, generated, "greedy continuation, token by token");

            long[] all = new long[promptIds.length + n];
            System.arraycopy(promptIds, 0, all, 0, promptIds.length);
            System.arraycopy(generated, 0, all, promptIds.length, n);
            String text = tokenizer.decode(all);
            assertTrue(text.startsWith(prompt) && text.length() > prompt.length(), text);

            // the same through the library's generator and through DJL: Criteria.optModelPath on
            // the
            // imported directory, the BPE generation translator, Predictor<String, String>
            long[] viaGenerator =
                    new SpikeGptGenerator(SequenceModel.of(model, ps))
                            .generate(
                                    manager,
                                    promptIds,
                                    SamplingConfig.builder()
                                            .optTemperature(0)
                                            .optMaxTokens(n)
                                            .build(),
                                    null);
            assertArrayEquals(expected, viaGenerator, "SpikeGptGenerator, greedy");
            Criteria<String, String> criteria =
                    Criteria.builder()
                            .setTypes(String.class, String.class)
                            .optModelPath(modelDir)
                            .optTranslatorFactory(new SpikeGptTranslatorFactory())
                            .optArgument("temperature", 0)
                            .optArgument("maxNewTokens", n)
                            .build();
            try (ZooModel<String, String> zoo = criteria.loadModel();
                    Predictor<String, String> predictor = zoo.newPredictor()) {
                assertEquals(
                        tokenizer.decode(expected),
                        predictor.predict(prompt),
                        "the BPE translator's continuation");
            }
        }
    }
}
