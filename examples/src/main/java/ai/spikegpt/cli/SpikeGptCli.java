package ai.spikegpt.cli;

import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code spikegpt}: the command line of SpikeGPT for DJL. Every sub-command prints a one-line
 * message and exits with status 2 on bad input ({@code --verbose} shows the stack trace; see {@link
 * ErrorReport}).
 */
@Command(
        name = "spikegpt",
        mixinStandardHelpOptions = true,
        version = "spikegpt 0.1.0 (DJL 0.36.0, PyTorch 2.7.1, CPU)",
        description = "SpikeGPT, a spiking RWKV language model, on the JVM with Deep Java Library.",
        subcommands = {
            ClassifyCommand.class,
            SparkClassifyCommand.class,
            GenerateCommand.class,
            TrainLmCommand.class,
            EvalLmCommand.class,
            FinetuneClassifierCommand.class,
            EvalClassifierCommand.class,
            SplitDataCommand.class,
            NgramBaselineCommand.class,
            VocabCommand.class,
            TokenizeCommand.class,
            LogitsCommand.class,
            ImportCommand.class,
            ExportCommand.class,
            SpikesCommand.class,
            ZooPackCommand.class,
            ServeCommand.class,
            ServeLoadCommand.class,
            BenchCommand.class,
            BenchCommand.Worker.class,
            ClassifyBenchWorker.class,
            CommandLine.HelpCommand.class
        })
public final class SpikeGptCli implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /**
     * Read by the exception handler (from the arguments); declared here so every command accepts
     * it.
     */
    @CommandLine.Option(
            names = "--verbose",
            scope = CommandLine.ScopeType.INHERIT,
            description = "show stack traces")
    boolean verbose;

    /**
     * Runs the command line.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command line and returns its exit status (for tests).
     *
     * @param args the arguments
     * @return the exit status
     */
    public static int run(String... args) {
        Runtime.configure();
        CommandLine cli = new CommandLine(new SpikeGptCli());
        cli.setExecutionExceptionHandler(new ErrorReport());
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Settings shared by every command: offline DJL, thread counts, quiet natives. */
    static final class Runtime {
        private Runtime() {}

        static void configure() {
            setDefault("ai.djl.offline", "true");
            setDefault("java.awt.headless", "true");
            setDefault("ai.djl.pytorch.num_interop_threads", "1");
            setDefault(
                    "ai.djl.pytorch.num_threads",
                    Integer.toString(java.lang.Runtime.getRuntime().availableProcessors()));
            setDefault("org.slf4j.simpleLogger.defaultLogLevel", "warn");
            setDefault("org.slf4j.simpleLogger.log.ai.spikegpt", "info");
            // a CPU-only machine is expected here: no warning that no CUDA driver was found
            setDefault("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
            // serve: a port in use is reported in our one line, not Javalin's too
            setDefault("org.slf4j.simpleLogger.log.io.javalin.Javalin", "off");
            setDefault("org.slf4j.simpleLogger.showThreadName", "false");
            setDefault("org.slf4j.simpleLogger.showLogName", "false");
            Locale.setDefault(Locale.ROOT);
        }

        private static void setDefault(String key, String value) {
            if (System.getProperty(key) == null) {
                System.setProperty(key, value);
            }
        }
    }
}
