package ai.spikegpt.cli;

import ai.spikegpt.inference.JavaSpikeGpt;
import ai.spikegpt.serve.ModelRegistry;
import ai.spikegpt.serve.PredictionServer;
import ai.spikegpt.serve.ServerOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code spikegpt serve}: the models behind DJL Serving's REST API until SIGTERM or Ctrl-C, which
 * stop it gracefully (queued requests are answered, then the models are closed).
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serve classifiers and language models over HTTP in DJL Serving's shape: GET /ping, GET /models,"
                    + " POST /predictions/NAME with text or {\"inputs\": ...}.",
            "A model is named by its zoo id or its directory's name. SIGTERM or Ctrl-C stops it"
                    + " gracefully."
        })
final class ServeCommand implements Callable<Integer> {

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR|ID",
            description =
                    "a model directory or a zoo artifact (spikegpt-char, spikegpt-prose, spikegpt-sst2); repeat for more")
    List<String> models;

    @Mixin EngineOption engine;

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description =
                    "address to listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE})")
    String host;

    @Option(
            names = "--port",
            defaultValue = "8080",
            description = "TCP port, 0 for any free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(
            names = "--batch-size",
            defaultValue = "32",
            description =
                    "most texts a classifier reads in one padded batch (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(
            names = "--max-batch-delay-ms",
            defaultValue = "10",
            description =
                    "how long a batch waits to fill after its first text (default: ${DEFAULT-VALUE})")
    long maxBatchDelayMillis;

    @Option(
            names = "--workers",
            defaultValue = "1",
            description =
                    "worker threads per model, each with its own predictor (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(
            names = "--queue",
            defaultValue = "1000",
            description =
                    "most texts (classifier) or requests (language model) waiting per model; beyond it requests get 503 (default: ${DEFAULT-VALUE})")
    int queue;

    @Option(
            names = "--max-body-bytes",
            defaultValue = "1048576",
            description = "largest request body; larger ones get 413 (default: ${DEFAULT-VALUE})")
    int maxBodyBytes;

    @Override
    public Integer call() throws Exception {
        ServerOptions options =
                ServerOptions.builder()
                        .optHost(host)
                        .optPort(port)
                        .optBatchSize(batchSize)
                        .optMaxBatchDelayMillis(maxBatchDelayMillis)
                        .optWorkers(workers)
                        .optQueueSize(queue)
                        .optMaxBodyBytes(maxBodyBytes)
                        // classifiers on the Java engine where it is the faster one
                        .optModelArgument(
                                "inference",
                                engine.isJava(JavaSpikeGpt.vectorized()) ? "java" : "djl")
                        .optModelArgument("weights", engine.format().toString())
                        .build();
        ModelRegistry registry = new ModelRegistry();
        PredictionServer server;
        try {
            for (String model : models) {
                Path dir = ModelArgument.resolve(model);
                registry.load(name(model, dir), dir, options);
            }
            server = PredictionServer.start(registry, options);
        } catch (Exception | Error e) {
            registry.close();
            throw e;
        }
        Thread hook = new Thread(server::close, "spikegpt-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        server.awaitClose();
        return 0;
    }

    /** A zoo artifact is served under its id, a directory under its last path element. */
    private static String name(String argument, Path dir) {
        return argument.startsWith("spikegpt-") && !argument.contains("/")
                ? argument
                : dir.toAbsolutePath().normalize().getFileName().toString();
    }
}
