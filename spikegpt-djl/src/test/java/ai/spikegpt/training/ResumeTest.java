package ai.spikegpt.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.spikegpt.TestSupport;
import ai.spikegpt.io.Safetensors;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.tokenizer.CharTokenizer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run of 2N steps equals N steps, a resume from the checkpoint, and N more steps: weights,
 * optimizer moments, data position, dropout masks and the learning-rate schedule all continue.
 */
class ResumeTest {

    @TempDir Path dir;

    private static LanguageModelTrainer.Builder trainer(Path out, TextCorpus text, CharTokenizer t, SpikeGptConfig c) {
        return LanguageModelTrainer.builder()
                .setOutput(out)
                .setConfig(c)
                .setTokenizer(t)
                .setData(TextCorpus.encode(text.train(), t), TextCorpus.encode(text.validation(), t))
                .setSteps(12)
                .optBatchSize(2)
                .optWarmupSteps(3)
                .optSeed(17)
                .optIntervals(2, 6, 6)
                .optValidation(4, 4)
                .optProgressBar(false);
    }

    @Test
    void twoHalvesEqualTheWhole() throws Exception {
        TextCorpus text = TextCorpus.read(TestSupport.shared().resolve("data/tinyshakespeare/input.txt"), 0.9);
        text = new TextCorpus(text.train().substring(0, 20_000), text.validation().substring(0, 4_000));
        CharTokenizer t = CharTokenizer.fit(text.train() + text.validation());
        SpikeGptConfig c = SpikeGptConfig.builder().setVocabSize(t.vocabSize()).setEmbeddingSize(32).setLayers(2)
                .optContextLength(16).optDropout(0.1f).optInit("rwkv", 5f, 12f).build();

        Path whole = dir.resolve("whole");
        trainer(whole, text, t, c).build().train();

        Path halves = dir.resolve("halves");
        trainer(halves, text, t, c).optMinutes(1e-9).build().train(); // stops at the first step after the budget
        Safetensors state = Safetensors.open(halves.resolve("checkpoint/model.safetensors"));
        assertTrue(state.entries().size() > 10);
        LanguageModelTrainer.Summary resumed = trainer(halves, text, t, c).optResume(true).build().train();
        assertEquals(12, resumed.steps());

        Safetensors a = Safetensors.open(whole.resolve("model.safetensors"));
        Safetensors b = Safetensors.open(halves.resolve("model.safetensors"));
        for (String name : a.entries().keySet()) {
            float[] x = a.floats(name);
            float[] y = b.floats(name);
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i], y[i], 1e-5f + 1e-5f * Math.abs(x[i]), name + "[" + i + "]");
            }
        }
        List<TrainingLog.Row> rowsA = TrainingLog.load(whole.resolve("training/log.csv")).rows();
        List<TrainingLog.Row> rowsB = TrainingLog.load(halves.resolve("training/log.csv")).rows();
        assertEquals(rowsA.size(), rowsB.size(), "the same curve");
        for (int i = 0; i < rowsA.size(); i++) {
            assertEquals(rowsA.get(i).trainLoss(), rowsB.get(i).trainLoss(), 1e-4, "loss at step " + rowsA.get(i).step());
        }
    }
}
