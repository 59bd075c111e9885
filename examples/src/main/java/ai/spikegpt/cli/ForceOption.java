package ai.spikegpt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * The {@code --force} option of every command that writes files, and the check it lifts: finished
 * work (a trained model and its checkpoint, a fine-tuned classifier, an export, data splits) is
 * never replaced by accident. Without {@code --force} a command whose output exists stops before it
 * starts working, with one line saying what exists and what to do. With it, the old output is
 * replaced, and atomically: a run killed half-way leaves the old model.
 */
final class ForceOption {

    @Option(names = "--force", description = "overwrite an existing output")
    boolean force;

    /**
     * Refuses outputs that exist, unless {@code --force} was given.
     *
     * @param option the option that named the outputs, e.g. {@code --out}
     * @param targets the files or folders the command writes
     * @throws IllegalArgumentException "OUT exists: choose another --out, or --force to overwrite"
     */
    void refuseExisting(String option, Path... targets) {
        refuseExisting(option, null, targets);
    }

    /**
     * Refuses outputs that exist, unless {@code --force} was given.
     *
     * @param option the option that named the outputs, e.g. {@code --out}
     * @param alternative another way on, e.g. "--resume to continue it", or null
     * @param targets the files or folders the command writes
     * @throws IllegalArgumentException "OUT exists: choose another --out, ALTERNATIVE, or --force
     *     to overwrite"
     */
    void refuseExisting(String option, String alternative, Path... targets) {
        if (force) {
            return;
        }
        for (Path target : targets) {
            if (holdsSomething(target)) {
                throw new IllegalArgumentException(
                        target
                                + " exists: choose another "
                                + option
                                + (alternative == null ? "" : ", " + alternative)
                                + ", or --force to overwrite");
            }
        }
    }

    /**
     * A file, or a folder with anything in it: an empty folder made for the output is no work to
     * lose.
     */
    private static boolean holdsSomething(Path target) {
        if (!Files.isDirectory(target)) {
            return Files.exists(target);
        }
        try (Stream<Path> entries = Files.list(target)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            return true; // unreadable: better to ask for --force than to write over it
        }
    }
}
