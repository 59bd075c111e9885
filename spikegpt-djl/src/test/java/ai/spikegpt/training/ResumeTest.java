package ai.spikegpt.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.spikegpt.TestSupport;
import ai.spikegpt.io.Safetensors;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.tokenizer.CharTokenizer;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run of 2N steps equals N steps, a resume from the checkpoint, and N more steps: weights,
 * optimizer moments, data position, dropout masks and the learning-rate schedule all continue; also
 * from a checkpoint whose write a kill interrupted. A resume may lengthen the run, and refuses
 * another seed or a shorter run.
 */
class ResumeTest {

    @TempDir Path dir;
    private TextCorpus text;
    private CharTokenizer t;
    private SpikeGptConfig c;

    @BeforeEach
    void corpus() throws Exception {
        TextCorpus all =
                TextCorpus.read(
                        TestSupport.shared().resolve("data/tinyshakespeare/input.txt"), 0.9);
        text =
                new TextCorpus(
                        all.train().substring(0, 20_000), all.validation().substring(0, 4_000));
        t = CharTokenizer.fit(text.train() + text.validation());
        c =
                SpikeGptConfig.builder()
                        .setVocabSize(t.vocabSize())
                        .setEmbeddingSize(32)
                        .setLayers(2)
                        .optContextLength(16)
                        .optDropout(0.1f)
                        .optInit("rwkv", 5f, 12f)
                        .build();
    }

    private LanguageModelTrainer.Builder trainer(Path out) {
        return LanguageModelTrainer.builder()
                .setOutput(out)
                .setConfig(c)
                .setTokenizer(t)
                .setData(
                        TextCorpus.encode(text.train(), t), TextCorpus.encode(text.validation(), t))
                .setSteps(12)
                .optBatchSize(2)
                .optWarmupSteps(3)
                .optSeed(17)
                .optIntervals(2, 6, 6)
                .optValidation(4, 4)
                .optProgressBar(false);
    }

    /** Trains the first steps of a run: it stops at the first step after its time budget. */
    private Path firstHalf(String name) throws Exception {
        Path out = dir.resolve(name);
        trainer(out).optMinutes(1e-9).build().train();
        return out;
    }

    @Test
    void twoHalvesEqualTheWhole() throws Exception {
        Path whole = dir.resolve("whole");
        trainer(whole).build().train();

        Path halves = firstHalf("halves");
        Safetensors state = Safetensors.open(halves.resolve("checkpoint/model.safetensors"));
        assertTrue(state.entries().size() > 10);
        LanguageModelTrainer.Summary resumed = trainer(halves).optResume(true).build().train();
        assertEquals(12, resumed.steps());

        assertSameWeights(whole, halves);
        List<TrainingLog.Row> rowsA = TrainingLog.load(whole.resolve("training/log.csv")).rows();
        List<TrainingLog.Row> rowsB = TrainingLog.load(halves.resolve("training/log.csv")).rows();
        assertEquals(rowsA.size(), rowsB.size(), "the same curve");
        for (int i = 0; i < rowsA.size(); i++) {
            assertEquals(
                    rowsA.get(i).trainLoss(),
                    rowsB.get(i).trainLoss(),
                    1e-4,
                    "loss at step " + rowsA.get(i).step());
        }
    }

    @Test
    void resumesACheckpointWhoseWriteWasKilled() throws Exception {
        Path whole = dir.resolve("whole");
        trainer(whole).build().train();

        // killed after the commit point, before the position and the optimizer were moved into
        // place
        Path committed = firstHalf("committed");
        Path checkpoint = committed.resolve("checkpoint");
        markElapsedSeconds(checkpoint);
        Path commit = Files.createDirectory(checkpoint.resolve(".commit"));
        for (String name : List.of("state.json", "optimizer.safetensors", "log.csv")) {
            Files.move(checkpoint.resolve(name), commit.resolve(name));
        }
        assertResumedTheCheckpoint(committed, whole);

        // killed by an earlier version between its two renames: checkpoint.old and
        // checkpoint.partial only
        Path swapped = firstHalf("swapped");
        markElapsedSeconds(swapped.resolve("checkpoint"));
        Files.move(swapped.resolve("checkpoint"), swapped.resolve("checkpoint.old"));
        Files.createDirectories(swapped.resolve("checkpoint.partial"));
        assertResumedTheCheckpoint(swapped, whole);
        assertFalse(Files.exists(swapped.resolve("checkpoint.old")));
        assertFalse(Files.exists(swapped.resolve("checkpoint.partial")));
    }

    @Test
    void aLongerRunContinuesAndAnotherSeedOrAShorterRunIsRefused() throws Exception {
        Path run = dir.resolve("run");
        trainer(run).setSteps(6).build().train();

        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> trainer(run).setSteps(6).optSeed(18).optResume(true).build().train());
        assertTrue(e.getMessage().contains("was trained with seed 17, not 18"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> trainer(run).setSteps(4).optResume(true).build().train());
        assertTrue(
                e.getMessage()
                        .contains("is 6 steps long (at step 6): resume with --steps 6 or more"),
                e.getMessage());

        LanguageModelTrainer.Summary longer =
                trainer(run).setSteps(12).optResume(true).build().train();
        assertEquals(12, longer.steps());
        List<TrainingLog.Row> rows = TrainingLog.load(run.resolve("training/log.csv")).rows();
        assertEquals(12, rows.get(rows.size() - 1).step());
        LearningRateSchedule twelveSteps = new LearningRateSchedule(6e-4f, 1e-5f, 3, 12);
        for (TrainingLog.Row row : rows.subList(3, rows.size())) {
            assertEquals(
                    twelveSteps.getNewValue((int) row.step()),
                    row.lr(),
                    1e-9,
                    "the schedule is stretched to 12 steps at step " + row.step());
        }
    }

    /**
     * Gives a checkpoint a recognisable past: a resume continues its clock, a new run starts at 0.
     */
    private static void markElapsedSeconds(Path checkpoint) throws Exception {
        Path file = checkpoint.resolve("state.json");
        JsonObject state = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        state.addProperty("seconds", 1e6);
        Files.writeString(file, state.toString());
    }

    private void assertResumedTheCheckpoint(Path run, Path whole) throws Exception {
        LanguageModelTrainer.Summary resumed = trainer(run).optResume(true).build().train();
        assertEquals(12, resumed.steps());
        assertTrue(
                resumed.seconds() >= 1e6,
                "the checkpoint's run continued: " + resumed.seconds() + " s");
        assertSameWeights(whole, run);
        assertTrue(Files.isRegularFile(run.resolve("checkpoint/state.json")));
    }

    private static void assertSameWeights(Path expected, Path actual) throws Exception {
        Safetensors a = Safetensors.open(expected.resolve("model.safetensors"));
        Safetensors b = Safetensors.open(actual.resolve("model.safetensors"));
        for (String name : a.entries().keySet()) {
            float[] x = a.floats(name);
            float[] y = b.floats(name);
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i], y[i], 1e-5f + 1e-5f * Math.abs(x[i]), name + "[" + i + "]");
            }
        }
    }
}
