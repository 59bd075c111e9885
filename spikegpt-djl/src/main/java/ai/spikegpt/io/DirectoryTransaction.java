package ai.spikegpt.io;

import ai.spikegpt.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Replaces a set of files in a directory as a whole, so that a reader after a kill at any moment
 * finds the complete old set or the complete new one, never new configuration beside old weights. A
 * model directory ({@link ModelDirectory#save}) and a training checkpoint are written this way.
 *
 * <pre>
 *   1. write    DIR/.staging/ gets the new files, flushed to the disk
 *   2. commit   DIR/.staging is renamed to DIR/.commit: one atomic step after which the new set is complete
 *   3. publish  each file of DIR/.commit replaces its old version (an atomic rename each), the old
 *               files the new set lacks are deleted, DIR/.commit goes
 * </pre>
 *
 * A kill before step 2 leaves the old files untouched beside a {@code .staging} folder, which
 * readers ignore and the next write deletes. A kill after step 2 leaves a {@code .commit} folder:
 * {@link #recover}, which every reader calls first, finishes step 3. Readers do not delete a {@code
 * .staging} folder because it may belong to a write still running in another process (a fine-tuning
 * run saving its best epoch while the directory is evaluated).
 *
 * <p>The set is flat: regular files, no folders. Other files of the directory (a run's {@code
 * training/} curves, its {@code checkpoint/}) are not touched.
 *
 * <pre>{@code
 * try (DirectoryTransaction t = DirectoryTransaction.begin(dir)) {
 *     config.save(t.staging().resolve("config.json"));
 *     ...
 *     t.commit(Set.of("config.json", "model.safetensors", "chars.json", "tokenizer.json"));
 * }
 * }</pre>
 */
public final class DirectoryTransaction implements AutoCloseable {

    /** Where step 1 writes. */
    static final String STAGING = ".staging";

    /** The committed new set, until step 3 has moved it into place. */
    static final String COMMIT = ".commit";

    /** In the commit folder: the names of old files to delete in step 3, one a line. */
    static final String OBSOLETE = ".obsolete";

    private final Path dir;
    private final Path staging;
    private boolean committed;

    private DirectoryTransaction(Path dir, Path staging) {
        this.dir = dir;
        this.staging = staging;
    }

    /**
     * Starts replacing files of a directory: finishes a write that a kill interrupted after its
     * commit, drops one interrupted before, and opens an empty staging folder.
     *
     * @param dir the directory (created if needed)
     * @return the transaction; close it, committed or not
     * @throws IOException if the directory cannot be prepared
     */
    public static DirectoryTransaction begin(Path dir) throws IOException {
        recover(dir);
        Files.createDirectories(dir);
        Path staging = dir.resolve(STAGING);
        deleteRecursively(staging);
        Files.createDirectory(staging);
        return new DirectoryTransaction(dir, staging);
    }

    /**
     * @return the folder to write the new files into, under their final names
     */
    public Path staging() {
        return staging;
    }

    /**
     * Publishes the staged files: from the moment this renames the staging folder, the new set
     * replaces the old one, even if the process is killed before this method returns.
     *
     * @param replaced the names the old set may have: those missing from the new set are deleted
     *     (e.g. a {@code chars.json} when the new model has a {@code tokenizer.json})
     * @throws IOException if publishing fails
     */
    public void commit(Collection<String> replaced) throws IOException {
        List<String> obsolete = new ArrayList<>();
        for (String name : replaced) {
            if (!Files.exists(staging.resolve(name))) {
                obsolete.add(name);
            }
        }
        Files.write(staging.resolve(OBSOLETE), obsolete, StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.list(staging)) {
            for (Path f : files.toList()) {
                AtomicFiles.sync(f);
            }
        }
        AtomicFiles.syncDirectory(staging);
        Files.move(staging, dir.resolve(COMMIT), StandardCopyOption.ATOMIC_MOVE);
        committed = true;
        AtomicFiles.syncDirectory(dir);
        publish(dir);
    }

    /** Deletes the staged files of a transaction that was not committed; the old files stay. */
    @Override
    public void close() throws IOException {
        if (!committed) {
            deleteRecursively(staging);
        }
    }

    /**
     * Brings a directory to a complete set of files after a kill: finishes publishing a committed
     * write. Cheap when there is nothing to do (one existence check), so every reader calls it.
     *
     * @param dir the directory
     * @throws IOException if the committed files cannot be moved into place
     */
    public static void recover(Path dir) throws IOException {
        if (Files.isDirectory(dir.resolve(COMMIT))) {
            publish(dir);
        }
    }

    /** Step 3. Also the roll-forward after a kill, so every step may find its work partly done. */
    private static void publish(Path dir) throws IOException {
        Path commit = dir.resolve(COMMIT);
        Path obsoleteList = commit.resolve(OBSOLETE);
        List<String> obsolete =
                Files.exists(obsoleteList)
                        ? Files.readAllLines(obsoleteList, StandardCharsets.UTF_8)
                        : List.of();
        try (Stream<Path> files = Files.list(commit)) {
            for (Path f : files.toList()) {
                if (!f.equals(obsoleteList)) {
                    moveIntoPlace(f, dir.resolve(f.getFileName().toString()));
                }
            }
        }
        for (String name : obsolete) {
            Files.deleteIfExists(dir.resolve(name));
        }
        Files.deleteIfExists(obsoleteList);
        Files.deleteIfExists(commit);
        AtomicFiles.syncDirectory(dir);
    }

    private static void moveIntoPlace(Path source, Path target) throws IOException {
        try {
            Files.move(
                    source,
                    target,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            // a reader in another process recovering the same directory moved it first
        }
    }

    /**
     * Deletes a file or a folder with everything in it.
     *
     * @param path the file or folder; nothing happens if it does not exist
     * @throws IOException if something cannot be deleted
     */
    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
