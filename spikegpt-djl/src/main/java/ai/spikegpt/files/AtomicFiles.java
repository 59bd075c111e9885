package ai.spikegpt.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes single files so that a kill at any moment leaves either the old file or the new one, never
 * half of one: the content goes to a hidden temporary sibling, is flushed to the disk, and replaces
 * the file with one atomic rename. Every file this library writes goes through here (a model
 * directory, whose files must change together, uses {@link DirectoryTransaction} on top).
 *
 * <p>A failed write deletes its temporary file; a killed one leaves a hidden {@code .NAME.tmp}
 * beside the file, which no reader looks at and the next write of the same file replaces.
 */
public final class AtomicFiles {

    /** What writes a file's content: called with the temporary file to fill. */
    @FunctionalInterface
    public interface Content {
        /**
         * Writes the content.
         *
         * @param file the (temporary) file to write
         * @throws IOException if writing fails
         */
        void writeTo(Path file) throws IOException;
    }

    private AtomicFiles() {}

    /**
     * Writes a file atomically.
     *
     * @param file the file to write or replace
     * @param content what writes its content
     * @return the file
     * @throws IOException if writing fails; the old file, if any, is then unchanged
     */
    public static Path write(Path file, Content content) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            content.writeTo(tmp);
            sync(tmp);
            Files.move(
                    tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        syncDirectory(file.toAbsolutePath().getParent());
        return file;
    }

    /**
     * Writes bytes atomically.
     *
     * @param file the file to write or replace
     * @param bytes its content
     * @return the file
     * @throws IOException if writing fails
     */
    public static Path write(Path file, byte[] bytes) throws IOException {
        return write(
                file,
                tmp -> {
                    try (OutputStream out = Files.newOutputStream(tmp)) {
                        out.write(bytes);
                    }
                });
    }

    /**
     * Writes UTF-8 text atomically.
     *
     * @param file the file to write or replace
     * @param text its content
     * @return the file
     * @throws IOException if writing fails
     */
    public static Path writeString(Path file, CharSequence text) throws IOException {
        return write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Flushes a file's content to the disk, so that a rename after it never publishes a file whose
     * data a power cut could still lose.
     *
     * @param file a regular file
     * @throws IOException if it cannot be opened
     */
    public static void sync(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /**
     * Flushes a directory's entries (the renames into it) where the platform allows it; Windows
     * cannot open a directory, and there a rename is durable once it returns.
     *
     * @param dir the directory
     */
    public static void syncDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // not supported here: the rename itself is still atomic
        }
    }
}
