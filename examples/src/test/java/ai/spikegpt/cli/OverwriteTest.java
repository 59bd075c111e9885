package ai.spikegpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.spikegpt.zoo.ZooArtifacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command that writes refuses an existing output without {@code --force}, with exit status 2,
 * one line saying what exists and what to do, and the old output untouched; with {@code --force} it
 * replaces it. {@code train-lm --resume} continues its own run, lengthened by a larger {@code
 * --steps}, and refuses another seed.
 */
class OverwriteTest {

    @TempDir Path tmp;

    @Test
    void filesAndFoldersOfEveryWritingCommand() throws Exception {
        Path model = SpikesCommandTest.modelDirectory(tmp.resolve("tiny"));
        String tiny = model.toString();
        Path data =
                Files.writeString(tmp.resolve("all.txt"), "1 ABC\n0 XYZ\n1 ABD\n0 XZY\n".repeat(2));

        Path splits = tmp.resolve("splits");
        assertRefusedThenForced(
                splits.resolve("test.txt"),
                "--out",
                "split-data",
                "--data",
                data.toString(),
                "--out",
                splits.toString(),
                "--test",
                "0.25");

        Path tokenizer = tmp.resolve("tokenizer.json");
        assertRefusedThenForced(
                tokenizer, "--out", "vocab", "--size", "256", "--out", tokenizer.toString());

        Path export = tmp.resolve("tiny.safetensors");
        assertRefusedThenForced(
                export, "--out", "export", "--model", tiny, "--out", export.toString());

        Path imported = tmp.resolve("imported");
        assertRefusedThenForced(
                imported,
                "--out",
                "import",
                "--checkpoint",
                ImportExportCommandTest.checkpoint("fp32").toString(),
                "--out",
                imported.toString());

        Path plots = tmp.resolve("plots");
        assertRefusedThenForced(
                plots,
                "--out",
                "spikes",
                "--model",
                tiny,
                "--text",
                "HI",
                "--out",
                plots.toString());

        Path root = tmp.resolve("resources");
        Path zip = ZooArtifacts.zipFile(root, ZooArtifacts.describe("spikegpt-char", Map.of()));
        assertRefusedThenForced(
                zip,
                "--root",
                "zoo-pack",
                "--model",
                tiny,
                "--artifact",
                "spikegpt-char",
                "--root",
                root.toString());

        Path examples =
                Files.writeString(
                        tmp.resolve("examples.txt"),
                        "1 ABCDE .\n0 VWXYZ .\n1 EDCBA .\n0 ZYXWV .\n");
        Path classifier = tmp.resolve("classifier");
        assertRefusedThenForced(
                classifier,
                "--out",
                "finetune-classifier",
                "--base",
                tiny,
                "--train",
                examples.toString(),
                "--dev",
                examples.toString(),
                "--out",
                classifier.toString(),
                "--labels",
                "bad,good",
                "--epochs",
                "1",
                "--batch-size",
                "4",
                "--warmup",
                "1");

        Path json = Files.writeString(tmp.resolve("bench.json"), "{\"djl\": []}");
        assertRefused(json, "--json", "", "bench", "--only", "A", "--json", json.toString());
    }

    @Test
    void exportIntoAFolderIsRefusedWithoutLeavingATemporaryFile() throws Exception {
        Path model = SpikesCommandTest.modelDirectory(tmp.resolve("tiny"));
        Path folder = Files.createDirectories(tmp.resolve("exports"));
        Object[] r =
                ImportExportCommandTest.cli(
                        "export",
                        "--model",
                        model.toString(),
                        "--out",
                        folder.toString(),
                        "--force");
        assertEquals(2, r[0]);
        assertEquals(
                "error: " + folder + " is a folder: --out names the .safetensors file to write",
                lastLine(r));
        assertEquals(List.of("exports", "tiny"), names(tmp));
    }

    @Test
    void trainLmContinuesOnlyItsOwnRunWithResume() throws Exception {
        Path corpus =
                Files.writeString(
                        tmp.resolve("corpus.txt"),
                        "to be or not to be, that is the question. ".repeat(40));
        Path config =
                Files.writeString(
                        tmp.resolve("config.json"),
                        "{\"n_embd\": 16, \"n_layer\": 1, \"ctx_len\": 8}");
        Path run = tmp.resolve("run");
        List<String> args =
                List.of(
                        "train-lm",
                        "--corpus",
                        corpus.toString(),
                        "--config",
                        config.toString(),
                        "--out",
                        run.toString(),
                        "--batch-size",
                        "2",
                        "--warmup",
                        "1",
                        "--eval-every",
                        "2",
                        "--eval-windows",
                        "2",
                        "--checkpoint-every",
                        "2",
                        "--no-progress");

        assertTrue(((String) run(args, "--steps", "4")[1]).contains("trained 4 steps"));
        Map<String, String> finished = snapshot(run);
        Object[] r = run(args, "--steps", "4");
        assertEquals(2, r[0]);
        assertEquals(
                "error: "
                        + run
                        + " exists: choose another --out, --resume to continue it, or --force to "
                        + "overwrite",
                lastLine(r));
        assertEquals(finished, snapshot(run));

        r = run(args, "--resume", "--seed", "7");
        assertEquals(2, r[0]);
        assertTrue(
                lastLine(r).contains("was trained with seed 42, not 7: resume with --seed 42"),
                lastLine(r));
        r = run(args, "--resume", "--steps", "3");
        assertEquals(2, r[0]);
        assertTrue(
                lastLine(r).contains("is 4 steps long (at step 4): resume with --steps 4 or more"),
                lastLine(r));
        assertEquals(finished, snapshot(run));

        assertTrue(((String) run(args, "--resume", "--steps", "6")[1]).contains("trained 6 steps"));
        assertTrue(
                Files.readString(run.resolve("checkpoint/state.json"))
                        .contains("\"totalSteps\": 6"));

        assertTrue(((String) run(args, "--steps", "2", "--force")[1]).contains("trained 2 steps"));
        assertTrue(Files.readString(run.resolve("checkpoint/state.json")).contains("\"step\": 2,"));
    }

    private static Object[] run(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(Arrays.asList(more));
        return ImportExportCommandTest.cli(all.toArray(String[]::new));
    }

    /** Runs a command twice more after a first run: refused without --force, done with it. */
    private static void assertRefusedThenForced(Path target, String option, String... args)
            throws IOException {
        Object[] first = ImportExportCommandTest.cli(args);
        assertEquals(0, first[0], args[0] + ": " + first[2]);
        assertRefused(target, option, "", args);
        List<String> forced = new ArrayList<>(Arrays.asList(args));
        forced.add("--force");
        Object[] r = ImportExportCommandTest.cli(forced.toArray(String[]::new));
        assertEquals(0, r[0], args[0] + " --force: " + r[2]);
    }

    private static void assertRefused(
            Path target, String option, String alternative, String... args) throws IOException {
        Map<String, String> before = snapshot(target);
        Object[] r = ImportExportCommandTest.cli(args);
        assertEquals(2, r[0], args[0] + " without --force");
        assertEquals(
                "error: "
                        + target
                        + " exists: choose another "
                        + option
                        + alternative
                        + ", or --force to overwrite",
                lastLine(r),
                args[0]);
        assertEquals(before, snapshot(target), args[0] + " changed nothing");
    }

    private static String lastLine(Object[] result) {
        String[] lines = ((String) result[2]).strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    /** Every file under a path with its size and modification time. */
    private static Map<String, String> snapshot(Path path) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(
                        path.relativize(p).toString(),
                        Files.size(p)
                                + " "
                                + Files.getLastModifiedTime(p).toMillis()
                                + " "
                                + Arrays.hashCode(Files.readAllBytes(p)));
            }
        }
        assertFalse(files.isEmpty(), path + " holds files");
        return files;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
