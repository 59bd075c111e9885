package ai.spikegpt.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.spikegpt.training.LabeledTextDataset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFilesTest {

    @TempDir Path dir;

    @Test
    void dropsTheByteOrderMarkSoItIsNotPartOfTheFirstLabel() throws IOException {
        Path file =
                Files.writeString(dir.resolve("bom.txt"), "\uFEFF1 a fine film\n0 a dull one\n");
        assertEquals("1 a fine film\n0 a dull one\n", TextFiles.readUtf8(file));
        List<LabeledTextDataset.Example> examples = LabeledTextDataset.read(file);
        assertEquals("1", examples.get(0).label());
        assertEquals(List.of("0", "1"), LabeledTextDataset.labelsOf(examples));
    }

    @Test
    void namesTheLineAndByteOfTextInAnotherEncoding() throws IOException {
        Path file =
                Files.write(
                        dir.resolve("latin1.txt"),
                        "1 good\n0 not so caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        TextFiles.NotTextException e =
                assertThrows(TextFiles.NotTextException.class, () -> TextFiles.readUtf8(file));
        assertEquals(
                file
                        + " is not UTF-8 text: line 2 has the byte 0xE9, which is not UTF-8; convert the file to "
                        + "UTF-8 (e.g. iconv -f ISO-8859-1 -t UTF-8)",
                e.getMessage());
        assertEquals(
                "1 good\n0 not so caf\u00e9\n", TextFiles.read(file, StandardCharsets.ISO_8859_1));
    }
}
