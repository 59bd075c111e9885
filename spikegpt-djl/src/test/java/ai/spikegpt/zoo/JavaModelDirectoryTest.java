package ai.spikegpt.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.spikegpt.ReferenceVectors;
import ai.spikegpt.inference.JavaClassifier;
import ai.spikegpt.inference.JavaSpikeGpt;
import ai.spikegpt.inference.JavaState;
import ai.spikegpt.inference.JavaWeights;
import ai.spikegpt.inference.WeightFormat;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.io.ModelIO;
import ai.spikegpt.io.Safetensors;
import ai.spikegpt.model.SpikeGptClassifier;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.model.SpikeGptModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model directory read straight into the Java engine gives exactly the logits of the same
 * directory loaded as a DJL model and copied ({@link JavaWeights#of}), for a language model and a
 * classifier stored in fp16 as the zoo stores them; and bad weights get the DJL loaders' messages.
 */
class JavaModelDirectoryTest {

    @TempDir Path tmp;

    private static int[] tokens(int n, int vocab, long seed) {
        return new Random(seed).ints(n, 0, vocab).toArray();
    }

    /** The reference model ("small"), saved as a model directory with fp16 weights. */
    private Path languageModelDirectory() throws Exception {
        Path dir = tmp.resolve("lm");
        try (NDManager manager = NDManager.newBaseManager()) {
            SpikeGptModel model =
                    ModelIO.loadLanguageModel(
                            ReferenceVectors.load("small").weightsFile(), null, manager);
            ModelDirectory.save(dir, model, model.getConfig(), null, DataType.FLOAT16, null);
        }
        return dir;
    }

    @Test
    void languageModelGivesTheCopiedModelsLogits() throws Exception {
        Path dir = languageModelDirectory();
        for (WeightFormat format : List.of(WeightFormat.FP32, WeightFormat.INT8)) {
            JavaSpikeGpt direct = new JavaSpikeGpt(JavaModelDirectory.languageModel(dir, format));
            JavaSpikeGpt copied;
            try (NDManager manager = NDManager.newBaseManager()) {
                copied =
                        new JavaSpikeGpt(
                                JavaWeights.of(
                                        ModelDirectory.loadLanguageModel(dir, manager), format));
            }
            SpikeGptConfig config = direct.getConfig();
            int[] prompt = tokens(24, config.getVocabSize(), 1);
            assertArrayEquals(
                    copied.lastLogits(prompt, 2, 12, JavaState.zeros(config, 2)),
                    direct.lastLogits(prompt, 2, 12, JavaState.zeros(config, 2)),
                    format.toString());
        }
    }

    @Test
    void classifierGivesTheCopiedClassifiersLogits() throws Exception {
        Path lm = languageModelDirectory();
        Path dir = tmp.resolve("classifier");
        try (NDManager manager = NDManager.newBaseManager()) {
            SpikeGptClassifier classifier =
                    ModelDirectory.newClassifier(lm, List.of("no", "maybe", "yes"), manager);
            ModelDirectory.save(
                    dir, classifier, classifier.getConfig(), null, DataType.FLOAT16, null);
        }
        JavaClassifier direct =
                new JavaClassifier(JavaModelDirectory.classifier(dir, WeightFormat.FP32));
        JavaClassifier copied;
        try (NDManager manager = NDManager.newBaseManager()) {
            copied =
                    new JavaClassifier(
                            JavaWeights.of(
                                    ModelDirectory.loadClassifier(dir, manager),
                                    WeightFormat.FP32));
        }
        int vocab = direct.getConfig().getVocabSize();
        int[][] texts = {tokens(5, vocab, 2), tokens(17, vocab, 3), tokens(1, vocab, 4)};
        float[] logits = direct.logits(texts);
        assertEquals(9, logits.length);
        assertArrayEquals(copied.logits(texts), logits);

        IllegalArgumentException notAClassifier =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> JavaModelDirectory.classifier(lm, WeightFormat.FP32));
        assertTrue(
                notAClassifier.getMessage().contains("without a classification head"),
                notAClassifier.getMessage());
    }

    @Test
    void weightsThatDoNotFitTheConfigurationGetTheLoadersMessage() throws Exception {
        Path dir = languageModelDirectory();
        SpikeGptConfig config = ModelDirectory.config(dir);
        // one layer more than the weights hold
        config.toBuilder()
                .setLayers(config.getLayers() + 1)
                .build()
                .save(dir.resolve("config.json"));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> JavaModelDirectory.languageModel(dir, WeightFormat.FP32));
        assertTrue(e.getMessage().contains("lacks tensor 'blocks."), e.getMessage());
        assertTrue(Files.isRegularFile(dir.resolve(ModelDirectory.WEIGHTS)));
        assertEquals(
                "F16", Safetensors.open(dir.resolve(ModelDirectory.WEIGHTS)).dtype("emb.weight"));
    }
}
