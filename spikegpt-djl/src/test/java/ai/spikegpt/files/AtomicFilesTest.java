package ai.spikegpt.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file is replaced whole or not at all, and a failed write leaves nothing beside it. */
class AtomicFilesTest {

    @TempDir Path dir;

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path file = AtomicFiles.writeString(dir.resolve("log.csv"), "step,loss\n1,4.2\n");
        assertThrows(
                IOException.class,
                () ->
                        AtomicFiles.write(
                                file,
                                tmp -> {
                                    Files.writeString(tmp, "step,lo");
                                    throw new IOException("no space left on device");
                                }));
        assertEquals("step,loss\n1,4.2\n", Files.readString(file));
        assertEquals(List.of("log.csv"), names());

        AtomicFiles.writeString(file, "step,loss\n");
        assertEquals("step,loss\n", Files.readString(file));
        assertEquals(List.of("log.csv"), names());
    }

    @Test
    void aDirectoryInTheWayIsNotReplacedAndNoTemporaryFileIsLeft() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("out.safetensors"));
        Files.writeString(folder.resolve("keep.txt"), "mine");
        assertThrows(IOException.class, () -> AtomicFiles.writeString(folder, "weights"));
        assertEquals("mine", Files.readString(folder.resolve("keep.txt")));
        assertEquals(List.of("out.safetensors"), names());
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
