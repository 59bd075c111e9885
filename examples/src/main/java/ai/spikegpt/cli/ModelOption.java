package ai.spikegpt.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --model} option of the commands that read a model: a model directory (written by
 * {@code train-lm}, {@code finetune-classifier} or {@code import}) or a zoo artifact id, resolved
 * by {@link ModelArgument}.
 */
final class ModelOption {

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR|ID",
            description =
                    "a model directory or a zoo artifact (spikegpt-char, spikegpt-prose, spikegpt-sst2)")
    String model;

    /**
     * @return the model directory
     * @throws IllegalArgumentException if the option names no model
     */
    Path directory() {
        return ModelArgument.resolve(model);
    }

    @Override
    public String toString() {
        return model;
    }
}
