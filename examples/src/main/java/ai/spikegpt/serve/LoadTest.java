package ai.spikegpt.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A closed-loop load test of one {@code /predictions/{name}} endpoint: {@code clients} threads,
 * each sending a short text and waiting for the answer before sending the next, until {@code
 * requests} have been sent or the time limit is reached. Reports throughput, the median and 99th
 * percentile latency, the errors, and the resident memory of this process ({@code VmRSS}) at the
 * start, the middle and the end of the run: with the server in the same process, whether its memory
 * stays flat under load.
 */
public final class LoadTest {

    private LoadTest() {}

    /**
     * What a run measured.
     *
     * @param sent requests sent
     * @param errors answers other than 200, or failed connections
     * @param firstError the first error, or null
     * @param seconds wall time of the run
     * @param p50Millis median latency
     * @param p99Millis 99th percentile latency
     * @param start memory at the start
     * @param middle memory after half of the requests
     * @param end memory at the end
     */
    public record Result(
            int sent,
            int errors,
            String firstError,
            double seconds,
            double p50Millis,
            double p99Millis,
            Memory start,
            Memory middle,
            Memory end) {

        /**
         * @return answered requests a second
         */
        public double throughput() {
            return (sent - errors) / seconds;
        }
    }

    /**
     * The process's memory at one moment.
     *
     * @param rssKb resident memory ({@code VmRSS}), KiB: native memory, the Java heap's touched
     *     pages, code
     * @param heapKb the Java heap's committed size, KiB (with the launcher's {@code
     *     MaxHeapFreeRatio=100} it grows and never shrinks, and its growth shows in the RSS)
     */
    public record Memory(long rssKb, long heapKb) {

        /**
         * @return this process's memory now
         */
        public static Memory now() {
            return new Memory(LoadTest.rssKb(), Runtime.getRuntime().totalMemory() / 1024);
        }
    }

    /**
     * Runs the load.
     *
     * @param endpoint the prediction URL, e.g. {@code
     *     http://127.0.0.1:8080/predictions/spikegpt-sst2}
     * @param texts the request bodies, used in turn
     * @param clients concurrent clients
     * @param requests requests in all
     * @param limit the longest the run may take (requests not sent by then are left out)
     * @return the measurements
     * @throws InterruptedException if interrupted
     */
    public static Result run(
            URI endpoint, List<String> texts, int clients, int requests, Duration limit)
            throws InterruptedException {
        if (!"127.0.0.1".equals(endpoint.getHost()) && !"localhost".equals(endpoint.getHost())) {
            throw new IllegalArgumentException(
                    "the load test runs against this machine only (127.0.0.1 or localhost), got "
                            + endpoint);
        }
        HttpClient http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10))
                        .build();
        long[] latencies = new long[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        AtomicReference<Memory> middle = new AtomicReference<>();
        Memory atStart = Memory.now();
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            pool.execute(
                    () -> {
                        int i;
                        while ((i = next.getAndIncrement()) < requests
                                && System.nanoTime() < deadline) {
                            HttpRequest request =
                                    HttpRequest.newBuilder(endpoint)
                                            .timeout(Duration.ofSeconds(60))
                                            .header("Content-Type", "text/plain")
                                            .POST(
                                                    HttpRequest.BodyPublishers.ofString(
                                                            texts.get(i % texts.size())))
                                            .build();
                            long t0 = System.nanoTime();
                            String error = null;
                            try {
                                HttpResponse<String> reply =
                                        http.send(request, HttpResponse.BodyHandlers.ofString());
                                if (reply.statusCode() != 200) {
                                    error = reply.statusCode() + " " + reply.body();
                                }
                            } catch (IOException e) {
                                error = e.toString();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return;
                            }
                            latencies[sent.getAndIncrement()] = System.nanoTime() - t0;
                            if (error != null) {
                                errors.incrementAndGet();
                                firstError.compareAndSet(null, error);
                            }
                            if (i == requests / 2) {
                                middle.set(Memory.now());
                            }
                        }
                    });
        }
        pool.shutdown();
        if (!pool.awaitTermination(limit.toMillis() + 120_000, TimeUnit.MILLISECONDS)) {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int n = sent.get();
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        return new Result(
                n,
                errors.get(),
                firstError.get(),
                seconds,
                percentile(sorted, 0.50) / 1e6,
                percentile(sorted, 0.99) / 1e6,
                atStart,
                middle.get() == null ? atStart : middle.get(),
                Memory.now());
    }

    /** The nearest-rank percentile of sorted values (0 for none). */
    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /**
     * @return this process's resident memory in KiB, from {@code /proc/self/status} (0 where there
     *     is no such file)
     */
    public static long rssKb() {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return 0;
        }
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + status, e);
        }
    }
}
