package ai.spikegpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code finetune-classifier}, {@code eval-classifier} and {@code classify} on the tiny reference
 * model (upper-case characters) and a task it can learn in a few epochs: texts of A-E are {@code
 * good}, texts of V-Z are {@code bad}, labelled 1 / 0 in the files as in SST-2.
 */
class ClassifierCommandsTest {

    private static Path examples(Path file, int n, long seed) throws Exception {
        Random random = new Random(seed);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            boolean good = i % 2 == 0;
            StringBuilder text = new StringBuilder();
            for (int j = 4 + random.nextInt(10); j > 0; j--) {
                text.append((good ? "ABCDE" : "VWXYZ").charAt(random.nextInt(5)));
            }
            s.append(good ? 1 : 0).append(' ').append(text).append(" .\n");
        }
        return Files.writeString(file, s);
    }

    @Test
    void fineTunesScoresAndClassifies(@TempDir Path tmp) throws Exception {
        Path lm = SpikesCommandTest.modelDirectory(tmp.resolve("lm"));
        Path train = examples(tmp.resolve("train.txt"), 48, 1);
        Path dev = examples(tmp.resolve("dev.txt"), 16, 2);
        Path out = tmp.resolve("classifier");

        String printed =
                LogitsCommandTest.run(
                        "finetune-classifier",
                        "--base",
                        lm.toString(),
                        "--train",
                        train.toString(),
                        "--dev",
                        dev.toString(),
                        "--out",
                        out.toString(),
                        "--labels",
                        "bad,good",
                        "--epochs",
                        "6",
                        "--patience",
                        "2",
                        "--batch-size",
                        "8",
                        "--lr",
                        "1e-2",
                        "--warmup",
                        "5");
        assertTrue(
                printed.contains("| epoch | train loss | train accuracy | dev accuracy |"),
                printed);
        assertTrue(printed.contains("best dev accuracy 100.00%"), printed);

        String scored =
                LogitsCommandTest.run(
                        "eval-classifier", "--model", out.toString(), "--data", dev.toString());
        assertTrue(scored.contains("accuracy 100.00% (16 of 16)"), scored);
        assertTrue(scored.contains("| bad | 100.00% | 100.00% | 100.00% | 8 |"), scored);
        assertTrue(
                scored.contains("| bad | 8 | 0 |") && scored.contains("| good | 0 | 8 |"), scored);
        // the DJL blocks print the same evaluation as the default (the Java engine, with the vector
        // API the tests run with), and so do the Java engine's fp32 and int8 weights on this easy
        // task
        for (String[] engine :
                new String[][] {
                    {"--engine", "djl"},
                    {"--engine", "java", "--weights", "fp32"},
                    {"--engine", "java", "--weights", "int8"}
                }) {
            List<String> args =
                    new ArrayList<>(
                            List.of(
                                    "eval-classifier",
                                    "--model",
                                    out.toString(),
                                    "--data",
                                    dev.toString()));
            args.addAll(List.of(engine));
            assertEquals(
                    scored,
                    LogitsCommandTest.run(args.toArray(String[]::new)),
                    String.join(" ", engine));
        }
        Object[] wrong =
                ImportExportCommandTest.cli(
                        "eval-classifier",
                        "--model",
                        out.toString(),
                        "--data",
                        dev.toString(),
                        "--engine",
                        "djl",
                        "--weights",
                        "int8");
        assertEquals(2, wrong[0], wrong[2].toString());
        assertTrue(wrong[2].toString().contains("needs the Java engine"), wrong[2].toString());

        String classified =
                LogitsCommandTest.run(
                        "classify", "--model", out.toString(), "ABBA CAB .", "ZZXV WYX .");
        String[] lines = classified.strip().split("\n");
        assertEquals(2, lines.length, classified);
        assertTrue(lines[0].startsWith("good") && lines[0].endsWith("ABBA CAB ."), classified);
        assertTrue(lines[1].startsWith("bad") && lines[1].endsWith("ZZXV WYX ."), classified);
        // the default (the Java engine, with the vector API the tests run with) and the DJL blocks
        // print the same answers
        assertEquals(
                classified,
                LogitsCommandTest.run(
                        "classify",
                        "--model",
                        out.toString(),
                        "--engine",
                        "djl",
                        "ABBA CAB .",
                        "ZZXV WYX ."));

        // --input: one text a line, of any length (the long one is read in chunks of the context)
        Path texts =
                Files.writeString(
                        tmp.resolve("texts.txt"), "ABBA CAB .\n\n" + "ABCDE ".repeat(2000) + ".\n");
        String fromFile =
                LogitsCommandTest.run(
                        "classify", "--model", out.toString(), "--input", texts.toString());
        lines = fromFile.strip().split("\n");
        assertEquals(2, lines.length, fromFile);
        assertEquals(
                lines[0], classified.strip().split("\n")[0], "the same answer as for the argument");
        assertTrue(
                lines[1].startsWith("good") && lines[1].endsWith("ABCDE ABCDE..."),
                "a long text, abbreviated: " + lines[1]);
    }

    @Test
    void badInputGetsClearErrors(@TempDir Path tmp) throws Exception {
        Path lm = SpikesCommandTest.modelDirectory(tmp.resolve("lm"));
        Path dev = examples(tmp.resolve("dev.txt"), 4, 2);
        Path unknown = Files.writeString(tmp.resolve("unknown.txt"), "1 ABC\n7 ABC\n");

        Object[] r =
                ImportExportCommandTest.cli(
                        "finetune-classifier",
                        "--base",
                        lm.toString(),
                        "--train",
                        unknown.toString(),
                        "--dev",
                        dev.toString(),
                        "--out",
                        tmp.resolve("x").toString(),
                        "--labels",
                        "bad,good");
        assertEquals(2, r[0]);
        assertTrue(r[2].toString().contains("unknown.txt:2: unknown label '7'"), r[2].toString());

        r = ImportExportCommandTest.cli("classify", "--model", lm.toString(), "ABC");
        assertEquals(2, r[0]);
        assertTrue(r[2].toString().contains("without a classification head"), r[2].toString());

        r =
                ImportExportCommandTest.cli(
                        "eval-classifier",
                        "--model",
                        tmp.resolve("none").toString(),
                        "--data",
                        dev.toString());
        assertEquals(2, r[0]);
        assertTrue(r[2].toString().contains("no model at"), r[2].toString());
    }

    /** User errors print one line and no stack trace; --verbose adds the trace. */
    @Test
    void userErrorsPrintOneLine(@TempDir Path tmp) throws Exception {
        Path lm = SpikesCommandTest.modelDirectory(tmp.resolve("lm"));
        Path train = examples(tmp.resolve("train.txt"), 16, 1);
        Path dev = examples(tmp.resolve("dev.txt"), 8, 2);
        Path classifier = tmp.resolve("classifier");
        assertEquals(
                0,
                ImportExportCommandTest.cli(
                        "finetune-classifier",
                        "--base",
                        lm.toString(),
                        "--train",
                        train.toString(),
                        "--dev",
                        dev.toString(),
                        "--out",
                        classifier.toString(),
                        "--labels",
                        "bad,good",
                        "--epochs",
                        "1",
                        "--batch-size",
                        "8")[0]);

        assertOneLineError(
                "error: the text to classify is empty",
                "classify",
                "--model",
                classifier.toString(),
                "");
        assertOneLineError(
                "error: --batch-size must be at least 1, got 0",
                "eval-classifier",
                "--model",
                classifier.toString(),
                "--data",
                dev.toString(),
                "--batch-size",
                "0");

        Object[] r =
                ImportExportCommandTest.cli(
                        "classify", "--model", classifier.toString(), "", "--verbose");
        assertEquals(2, r[0]);
        assertTrue(
                r[2].toString().contains("\tat ai.djl.inference.Predictor"),
                "a trace with --verbose: " + r[2]);

        // control characters of user text are shown escaped, never sent to the terminal raw
        assertEquals(
                "ABC\\u001B]0;owned\\u0007 \\u000A.",
                Printable.escapeControls("ABC\u001b]0;owned\u0007 \n."));
        Path labels = Files.writeString(tmp.resolve("labels.txt"), "1 ABC\n\u001b[2J ABC\n");
        r =
                ImportExportCommandTest.cli(
                        "eval-classifier",
                        "--model",
                        classifier.toString(),
                        "--data",
                        labels.toString());
        assertEquals(2, r[0], r[2].toString());
        assertTrue(r[2].toString().contains("unknown label '\\u001B[2J'"), r[2].toString());
        assertTrue(r[2].toString().chars().noneMatch(c -> c == 0x1b), r[2].toString());

        // a classifier still generates, with a warning that it is not the language model it started
        // from
        r =
                ImportExportCommandTest.cli(
                        "generate",
                        "--model",
                        classifier.toString(),
                        "--prompt",
                        "AB",
                        "--max-tokens",
                        "5");
        assertEquals(0, r[0], r[2].toString());
        assertTrue(
                r[2].toString()
                        .startsWith(
                                "warning: " + classifier + " is a classifier (labels bad, good)"),
                r[2].toString());
    }

    /**
     * A learning rate that makes the weights NaN stops fine-tuning with the truth about what was
     * saved.
     */
    @Test
    void divergingFineTuningStopsWithoutSavingNaN(@TempDir Path tmp) throws Exception {
        Path lm = SpikesCommandTest.modelDirectory(tmp.resolve("lm"));
        Path train = examples(tmp.resolve("train.txt"), 32, 1);
        Path dev = examples(tmp.resolve("dev.txt"), 8, 2);
        Path out = tmp.resolve("classifier");
        String error =
                assertOneLineError(
                        null,
                        "finetune-classifier",
                        "--base",
                        lm.toString(),
                        "--train",
                        train.toString(),
                        "--dev",
                        dev.toString(),
                        "--out",
                        out.toString(),
                        "--labels",
                        "bad,good",
                        "--epochs",
                        "2",
                        "--batch-size",
                        "8",
                        "--lr",
                        "1e30",
                        "--warmup",
                        "0");
        assertTrue(error.startsWith("error: fine-tuning diverged in epoch 1"), error);
        assertTrue(error.contains("no epoch finished, so no model was saved in " + out), error);
        assertTrue(!Files.exists(out.resolve("model.safetensors")), "no NaN model on disk");
    }

    /**
     * Runs a failing command and checks that it printed one error line (equal to {@code expected}
     * if given).
     */
    private static String assertOneLineError(String expected, String... args) {
        Object[] r = ImportExportCommandTest.cli(args);
        String err = r[2].toString();
        assertEquals(2, r[0], err);
        String[] lines =
                err.lines()
                        .filter(line -> line.startsWith("error: ") || line.startsWith("\tat "))
                        .toArray(String[]::new);
        assertEquals(1, lines.length, "one error line and no trace: " + err);
        if (expected != null) {
            assertEquals(expected, lines[0]);
        }
        return lines[0];
    }
}
