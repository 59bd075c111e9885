package ai.spikegpt.cli;

import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.zoo.SpikeGptModelZoo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Resolves a {@code --model} argument to a model directory: a path to a directory written by {@code
 * train-lm}, {@code finetune-classifier} or {@code import}, or the id of a model-zoo artifact
 * ({@code spikegpt-char}, {@code spikegpt-prose}, {@code spikegpt-sst2}), which is copied from the
 * classpath into DJL's cache on first use.
 */
final class ModelArgument {

    private ModelArgument() {}

    /**
     * Resolves a model argument.
     *
     * @param value the argument
     * @return the model directory
     * @throws IllegalArgumentException if it names no model
     */
    static Path resolve(String value) {
        Path path = Paths.get(value);
        if (ModelDirectory.isModelDirectory(path)) {
            return path;
        }
        if (Files.exists(path)) {
            throw new IllegalArgumentException(
                    value
                            + " is not a model directory (it needs "
                            + ModelDirectory.CONFIG
                            + " and "
                            + ModelDirectory.WEIGHTS
                            + ")");
        }
        if (value.startsWith("spikegpt-")) {
            try {
                return SpikeGptModelZoo.modelDirectory(value);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot open zoo artifact " + value + ": " + e.getMessage(), e);
            }
        }
        throw new IllegalArgumentException(
                "no model at "
                        + value
                        + ": give a model directory or a zoo artifact (spikegpt-char, spikegpt-prose, spikegpt-sst2)");
    }
}
