package ai.spikegpt.cli;

import ai.spikegpt.inference.WeightFormat;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The {@code --engine} and {@code --weights} options of the commands that run a model: the DJL
 * blocks (on PyTorch) or the pure-Java engine ({@code ai.spikegpt.inference}), and the Java
 * engine's weight format. Each command picks its own default engine, the faster one for its job.
 */
final class EngineOption {

    @Option(
            names = "--engine",
            paramLabel = "java|djl",
            description =
                    "java: pure-Java loops, no native call per operation; djl: the DJL blocks on"
                            + " PyTorch (default: the faster one for this command)")
    String engine;

    @Option(
            names = "--weights",
            paramLabel = "fp32|fp16|int8",
            defaultValue = "fp32",
            description =
                    "the Java engine's matrix format: fp32 (exact), fp16, or int8 with a scale per"
                            + " row (default: ${DEFAULT-VALUE})")
    String weights;

    /**
     * Returns whether to run the Java engine.
     *
     * @param javaByDefault the command's default
     * @return true for the Java engine
     * @throws IllegalArgumentException for an unknown engine, or a weight format the DJL engine
     *     does not have
     */
    boolean isJava(boolean javaByDefault) {
        boolean java;
        if (engine == null) {
            java = javaByDefault;
        } else {
            switch (engine.toLowerCase(Locale.ROOT)) {
                case "java":
                    java = true;
                    break;
                case "djl":
                    java = false;
                    break;
                default:
                    throw new IllegalArgumentException(
                            "--engine must be java or djl, got '" + engine + "'");
            }
        }
        if (!java && format() != WeightFormat.FP32) {
            throw new IllegalArgumentException(
                    "--weights " + weights + " needs the Java engine: add --engine java");
        }
        return java;
    }

    /**
     * @return the Java engine's weight format
     * @throws IllegalArgumentException for an unknown format
     */
    WeightFormat format() {
        return WeightFormat.parse(weights);
    }
}
