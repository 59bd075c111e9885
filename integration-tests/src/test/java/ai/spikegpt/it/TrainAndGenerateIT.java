package ai.spikegpt.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.spikegpt.cli.SpikeGptCli;
import ai.spikegpt.examples.SharedFolder;
import ai.spikegpt.training.TrainingLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The language-model workflow end to end through the CLI: train a tiny model, evaluate it,
 * generate.
 */
class TrainAndGenerateIT {

    @TempDir Path dir;

    static Path shared() {
        return SharedFolder.locate();
    }

    static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, SpikeGptCli.run(args), "exit status of " + String.join(" ", args));
        } finally {
            System.setOut(old);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void tinyModelLearnsFromASliceOfShakespeare() throws Exception {
        String text =
                Files.readString(
                        shared().resolve("data/tinyshakespeare/input.txt"), StandardCharsets.UTF_8);
        Path corpus = dir.resolve("slice.txt");
        Files.writeString(corpus, text.substring(0, 60_000), StandardCharsets.UTF_8);
        Path config = dir.resolve("config.json");
        Files.writeString(
                config,
                "{\"n_embd\": 48, \"n_layer\": 2, \"ctx_len\": 32, \"dropout\": 0.0,"
                        + " \"init\": {\"scheme\": \"rwkv\", \"att_out_gain\": 5, \"ffn_value_gain\": 12}}");
        Path model = dir.resolve("model");
        String out =
                run(
                        "train-lm",
                        "--corpus",
                        corpus.toString(),
                        "--out",
                        model.toString(),
                        "--config",
                        config.toString(),
                        "--steps",
                        "120",
                        "--batch-size",
                        "8",
                        "--lr",
                        "2e-3",
                        "--warmup",
                        "10",
                        "--eval-every",
                        "60",
                        "--eval-windows",
                        "32",
                        "--no-progress");
        assertTrue(out.contains("bits per character"), out);

        List<TrainingLog.Row> rows = TrainingLog.load(model.resolve("training/log.csv")).rows();
        double firstLoss = rows.get(0).trainLoss();
        double lastLoss = rows.get(rows.size() - 1).trainLoss();
        assertTrue(
                lastLoss < firstLoss - 0.5,
                "training loss falls: " + firstLoss + " -> " + lastLoss);
        double[] val =
                rows.stream()
                        .mapToDouble(TrainingLog.Row::valBpc)
                        .filter(v -> !Double.isNaN(v))
                        .toArray();
        assertTrue(
                val.length >= 2 && val[val.length - 1] < val[0],
                "validation BPC falls: " + java.util.Arrays.toString(val));
        assertTrue(
                val[val.length - 1] < Math.log(65) / Math.log(2),
                "better than a uniform guess over the characters");
        assertTrue(Files.size(model.resolve("training/bpc.png")) > 5_000, "the plot is written");

        String eval = run("eval-lm", "--model", model.toString(), "--corpus", corpus.toString());
        assertTrue(eval.contains("bits per character"), eval);

        String generated =
                run(
                        "generate",
                        "--model",
                        model.toString(),
                        "--prompt",
                        "KING",
                        "--max-tokens",
                        "40",
                        "--seed",
                        "3");
        assertTrue(generated.startsWith("KING") && generated.trim().length() > 30, generated);
        assertEquals(
                generated,
                run(
                        "generate",
                        "--model",
                        model.toString(),
                        "--prompt",
                        "KING",
                        "--max-tokens",
                        "40",
                        "--seed",
                        "3"),
                "the same seed gives the same text");

        // continued training (--base) starts where the model is, not from scratch
        Path adapted = dir.resolve("adapted");
        run(
                "train-lm",
                "--corpus",
                corpus.toString(),
                "--out",
                adapted.toString(),
                "--base",
                model.toString(),
                "--steps",
                "10",
                "--lr",
                "2e-4",
                "--warmup",
                "2",
                "--eval-every",
                "10",
                "--eval-windows",
                "8",
                "--no-progress");
        double continued =
                TrainingLog.load(adapted.resolve("training/log.csv")).rows().get(0).trainLoss();
        assertTrue(
                continued < firstLoss - 0.5 && continued < lastLoss + 0.3,
                "continued from "
                        + lastLoss
                        + ": "
                        + continued
                        + " (from scratch: "
                        + firstLoss
                        + ")");
        assertEquals(
                Files.readString(model.resolve("chars.json")),
                Files.readString(adapted.resolve("chars.json")));
    }
}
