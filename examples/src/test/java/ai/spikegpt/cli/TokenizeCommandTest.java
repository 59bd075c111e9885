package ai.spikegpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.tokenizer.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spikegpt tokenize} on the tiny reference model's character vocabulary. */
class TokenizeCommandTest {

    @Test
    void showsPiecesAndWritesIdsOfALabelledFile(@TempDir Path tmp) throws Exception {
        Path lm = SpikesCommandTest.modelDirectory(tmp.resolve("lm"));
        String shown = LogitsCommandTest.run("tokenize", "--model", lm.toString(), "AB C");
        long[] ids;
        try (TextTokenizer tokenizer = ModelDirectory.tokenizer(lm)) {
            ids = tokenizer.encode("AB C");
        }
        String idList =
                LongStream.of(ids).mapToObj(Long::toString).collect(Collectors.joining(","));
        assertTrue(shown.contains("4 tokens: |A|B| |C|"), shown);
        assertTrue(shown.contains("ids: " + idList), shown);

        Path data = Files.writeString(tmp.resolve("data.txt"), "1 AB C\n0\tC\n");
        String written =
                LogitsCommandTest.run(
                        "tokenize", "--model", lm.toString(), "--data", data.toString());
        String[] lines = written.strip().split("\n");
        assertEquals(2, lines.length, written);
        assertEquals("1 " + idList.replace(',', ' '), lines[0]);
        assertEquals("0 " + ids[3], lines[1]);
    }

    @Test
    void asksForTextsOrAFile(@TempDir Path tmp) throws Exception {
        Path lm = SpikesCommandTest.modelDirectory(tmp.resolve("lm"));
        Object[] r = ImportExportCommandTest.cli("tokenize", "--model", lm.toString());
        assertEquals(2, r[0]);
        assertTrue(r[2].toString().contains("give either texts or --data FILE"), r[2].toString());
        r =
                ImportExportCommandTest.cli(
                        "tokenize", "--model", lm.toString(), "--normalize", "upper", "AB");
        assertEquals(2, r[0]);
        assertTrue(r[2].toString().contains("unknown text normalization 'upper'"), r[2].toString());
        r =
                ImportExportCommandTest.cli(
                        "tokenize",
                        "--verbose",
                        "--model",
                        lm.toString()); // every command takes it
        assertEquals(2, r[0]);
        assertTrue(r[2].toString().contains("give either texts or --data FILE"), r[2].toString());
    }
}
