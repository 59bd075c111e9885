package ai.spikegpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's one error path: the message of the user's mistake, one line, no trace. */
class ErrorReportTest {

    @Test
    void findsTheUserErrorBehindLibraryWrappers() {
        IllegalArgumentException empty =
                new IllegalArgumentException("the text to classify is empty");
        assertSame(empty, ErrorReport.userError(new TranslateException(empty)));

        // our own wrapper adds context to its cause: its message is the one to show
        UncheckedIOException wrapper =
                new UncheckedIOException(
                        "cannot open zoo artifact x: gone", new IOException("gone"));
        assertSame(wrapper, ErrorReport.userError(wrapper));

        assertNull(
                ErrorReport.userError(
                        new TranslateException(new ArrayIndexOutOfBoundsException(3))),
                "a bug");
    }

    @Test
    void divergingLanguageModelTrainingSaysWhatToDoInOneLine(@TempDir Path tmp) throws Exception {
        Path corpus =
                Files.writeString(
                        tmp.resolve("corpus.txt"),
                        "TO BE OR NOT TO BE, THAT IS THE QUESTION.\n".repeat(200));
        Path config =
                Files.writeString(
                        tmp.resolve("config.json"),
                        "{\"n_embd\": 16, \"n_layer\": 1, \"ctx_len\": 16, \"dropout\": 0.0}");
        Object[] r =
                ImportExportCommandTest.cli(
                        "train-lm",
                        "--corpus",
                        corpus.toString(),
                        "--config",
                        config.toString(),
                        "--out",
                        tmp.resolve("lm").toString(),
                        "--steps",
                        "20",
                        "--batch-size",
                        "2",
                        "--lr",
                        "1e30",
                        "--warmup",
                        "0",
                        "--no-progress");
        String err = r[2].toString();
        assertEquals(2, r[0], err);
        assertTrue(
                err.lines().noneMatch(line -> line.startsWith("\tat ")), "no stack trace: " + err);
        String error =
                err.lines().filter(line -> line.startsWith("error: ")).findFirst().orElseThrow();
        assertTrue(error.startsWith("error: training diverged at step "), error);
        assertTrue(error.contains("No checkpoint was written before it"), error);
    }
}
