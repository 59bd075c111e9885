package ai.spikegpt.cli;

import ai.spikegpt.files.TextFiles;
import ai.spikegpt.serve.LoadTest;
import ai.spikegpt.serve.ModelRegistry;
import ai.spikegpt.serve.PredictionServer;
import ai.spikegpt.serve.ServerOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spikegpt serve-load}: starts {@code serve} in this process on a free localhost port, once
 * for each batch size, and runs {@link LoadTest} against it: throughput, median and 99th percentile
 * latency, errors, and this process's resident memory at the start, middle and end of each run.
 */
@Command(
        name = "serve-load",
        mixinStandardHelpOptions = true,
        description = {
            "Load-test 'serve' on this machine: CLIENTS concurrent clients send REQUESTS short texts to a"
                    + " classifier, once for each batch size (1 = no dynamic batching).",
            "Prints throughput, p50/p99 latency, errors and resident memory (start/middle/end)."
        })
final class ServeLoadCommand implements Callable<Integer> {

    /** Short texts of SST-2's kind, used in turn when no --texts file is given. */
    static final List<String> TEXTS =
            List.of(
                    "A gorgeous, witty, seductive movie.",
                    "The plot is dull and the acting is dreadful.",
                    "An unwatchable, unfunny mess.",
                    "One of the best films of the year.",
                    "It never quite comes together.",
                    "A charming, funny and heartfelt story.",
                    "Too long, too loud and too stupid.",
                    "The cast is terrific.",
                    "I was bored from start to finish.",
                    "A small miracle of a movie.",
                    "Flat, predictable and lifeless.",
                    "Smart, sharp and very funny.",
                    "The script is a mess.",
                    "Beautifully shot and well acted.",
                    "Nothing here is worth your time.",
                    "A delight from beginning to end.");

    @Option(
            names = "--model",
            defaultValue = "spikegpt-sst2",
            paramLabel = "DIR|ID",
            description = "the classifier to serve (default: ${DEFAULT-VALUE})")
    String model;

    @Option(
            names = "--clients",
            defaultValue = "16",
            description = "concurrent clients (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(
            names = "--requests",
            defaultValue = "2000",
            description = "requests a run (default: ${DEFAULT-VALUE})")
    int requests;

    @Option(
            names = "--batch-sizes",
            defaultValue = "1,32",
            split = ",",
            description = "one run per batch size (default: ${DEFAULT-VALUE})")
    List<Integer> batchSizes;

    @Option(
            names = "--max-batch-delay-ms",
            defaultValue = "10",
            description = "the server's batch delay (default: ${DEFAULT-VALUE})")
    long maxBatchDelayMillis;

    @Option(
            names = "--workers",
            defaultValue = "1",
            description = "the server's workers (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(
            names = "--max-seconds",
            defaultValue = "600",
            description = "time limit of a run (default: ${DEFAULT-VALUE})")
    long maxSeconds;

    @Option(
            names = "--texts",
            description = "request texts, one a line (default: 16 built-in short sentences)")
    Path textsFile;

    @Option(
            names = "--log-requests",
            description = "log each request as 'serve' does (off: the table stays readable)")
    boolean logRequests;

    @Override
    public Integer call() throws Exception {
        if (!logRequests) { // read when the server's logger is made, on first use
            System.setProperty(
                    "org.slf4j.simpleLogger.log." + PredictionServer.class.getName(), "warn");
        }
        OptionChecks.atLeast("--clients", clients, 1);
        OptionChecks.atLeast("--requests", requests, 1);
        OptionChecks.atLeast("--max-seconds", maxSeconds, 1);
        List<String> texts =
                textsFile == null
                        ? TEXTS
                        : TextFiles.readUtf8(textsFile).lines().filter(l -> !l.isBlank()).toList();
        if (texts.isEmpty()) {
            throw new IllegalArgumentException(textsFile + " has no texts");
        }
        Path dir = ModelArgument.resolve(model);
        System.out.printf(
                "%s, %d clients, %d requests a run, batch delay %d ms, %d worker(s), %d CPUs%n",
                model,
                clients,
                requests,
                maxBatchDelayMillis,
                workers,
                Runtime.getRuntime().availableProcessors());
        System.out.println(
                "batch  sent  errors  seconds    req/s   p50 ms   p99 ms  RSS MB start/middle/end  (heap MB)");
        for (int batchSize : batchSizes) {
            ServerOptions options =
                    ServerOptions.builder()
                            .optPort(0)
                            .optBatchSize(batchSize)
                            .optMaxBatchDelayMillis(maxBatchDelayMillis)
                            .optWorkers(workers)
                            .optQueueSize(Math.max(1000, clients))
                            .build();
            ModelRegistry registry = new ModelRegistry();
            registry.load("load", dir, options);
            if (registry.get("load").orElseThrow().labels().isEmpty()) {
                registry.close();
                throw new IllegalArgumentException(
                        model
                                + " is a language model: serve-load measures a classifier's batching");
            }
            try (PredictionServer server = PredictionServer.start(registry, options)) {
                URI endpoint =
                        URI.create("http://127.0.0.1:" + server.port() + "/predictions/load");
                // warm-up: the first batches of each size allocate their buffers
                LoadTest.run(endpoint, texts, clients, 4 * clients, Duration.ofSeconds(maxSeconds));
                LoadTest.Result r =
                        LoadTest.run(
                                endpoint, texts, clients, requests, Duration.ofSeconds(maxSeconds));
                System.out.printf(
                        "%5d %5d %7d %8.1f %8.1f %8.1f %8.1f  %d/%d/%d  (%d/%d/%d)%n",
                        batchSize,
                        r.sent(),
                        r.errors(),
                        r.seconds(),
                        r.throughput(),
                        r.p50Millis(),
                        r.p99Millis(),
                        r.start().rssKb() / 1024,
                        r.middle().rssKb() / 1024,
                        r.end().rssKb() / 1024,
                        r.start().heapKb() / 1024,
                        r.middle().heapKb() / 1024,
                        r.end().heapKb() / 1024);
                if (r.firstError() != null) {
                    System.out.println("  first error: " + r.firstError());
                }
                if (r.sent() < requests) {
                    System.out.println(
                            "  stopped by --max-seconds after " + r.sent() + " requests");
                }
            }
        }
        return 0;
    }
}
