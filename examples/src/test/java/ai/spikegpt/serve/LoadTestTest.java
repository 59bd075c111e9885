package ai.spikegpt.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Application;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The load test's counting, percentiles and limits, against a server with an instant model. */
class LoadTestTest {

    @Test
    void countsEveryRequestAndMeasuresLatencyAndMemory() throws Exception {
        ClassifierBatcherTest.Recording instant =
                new ClassifierBatcherTest.Recording(new CountDownLatch(0));
        ServerOptions options =
                ServerOptions.builder()
                        .optPort(0)
                        .optBatchSize(8)
                        .optMaxBatchDelayMillis(2)
                        .build();
        ModelRegistry registry = new ModelRegistry();
        registry.add(
                new ServedClassifier(
                        "instant",
                        Application.NLP.TEXT_CLASSIFICATION,
                        List.of("short", "long"),
                        new ClassifierBatcher("instant", () -> instant, options),
                        null));
        try (PredictionServer server = PredictionServer.start(registry, options)) {
            URI endpoint = URI.create("http://127.0.0.1:" + server.port() + "/predictions/instant");
            LoadTest.Result r =
                    LoadTest.run(endpoint, List.of("a", "bb"), 4, 100, Duration.ofSeconds(60));
            assertEquals(100, r.sent());
            assertEquals(0, r.errors());
            assertNull(r.firstError());
            assertTrue(r.p50Millis() > 0 && r.p50Millis() <= r.p99Millis(), r.toString());
            for (LoadTest.Memory m : List.of(r.start(), r.middle(), r.end())) {
                assertTrue(m.rssKb() > m.heapKb() / 100 && m.heapKb() > 0, r.toString());
            }
            assertEquals(
                    100, instant.batches.stream().mapToInt(List::size).sum(), "every text once");

            LoadTest.Result missing =
                    LoadTest.run(
                            URI.create("http://127.0.0.1:" + server.port() + "/predictions/none"),
                            List.of("a"),
                            2,
                            10,
                            Duration.ofSeconds(60));
            assertEquals(10, missing.errors());
            assertTrue(missing.firstError().startsWith("404"), missing.firstError());
        }
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        LoadTest.run(
                                URI.create("http://example.com/predictions/x"),
                                List.of("a"),
                                1,
                                1,
                                Duration.ofSeconds(1)));
    }

    @Test
    void percentilesAreNearestRank() {
        long[] sorted = new long[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = i + 1;
        }
        assertEquals(50, LoadTest.percentile(sorted, 0.50));
        assertEquals(99, LoadTest.percentile(sorted, 0.99));
        assertEquals(7, LoadTest.percentile(new long[] {7}, 0.99));
        assertEquals(0, LoadTest.percentile(new long[0], 0.5));
    }
}
