package ai.spikegpt.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Application;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Back-pressure and graceful shutdown over HTTP, made deterministic with a classifier that blocks
 * until released: a full queue answers 503 with {@code Retry-After}; a shutdown refuses new
 * requests but answers every queued one, then closes the model.
 */
class BackPressureTest {

    private static HttpRequest classify(int port, String text) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/predictions/slow"))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(text))
                .build();
    }

    private static double longProbability(HttpResponse<String> reply) {
        assertEquals(200, reply.statusCode(), reply.body());
        for (var item : JsonParser.parseString(reply.body()).getAsJsonArray()) {
            if (item.getAsJsonObject().get("className").getAsString().equals("long")) {
                return item.getAsJsonObject().get("probability").getAsDouble();
            }
        }
        throw new AssertionError("no class long in " + reply.body());
    }

    /** Whether a new connection gets a refusal: no connection, or a 503. */
    private static boolean refusesNewRequests(int port) throws InterruptedException {
        HttpClient fresh = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            return fresh.send(classify(port, "late"), HttpResponse.BodyHandlers.ofString())
                            .statusCode()
                    == 503;
        } catch (IOException refused) {
            return true;
        }
    }

    @Test
    void aFullQueueGets503AndShutdownAnswersWhatIsQueued() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ClassifierBatcherTest.Recording slow = new ClassifierBatcherTest.Recording(release);
        ServerOptions options =
                ServerOptions.builder()
                        .optPort(0)
                        .optBatchSize(1)
                        .optMaxBatchDelayMillis(0)
                        .optQueueSize(2)
                        .build();
        ClassifierBatcher batcher = new ClassifierBatcher("slow", () -> slow, options);
        ModelRegistry registry = new ModelRegistry();
        registry.add(
                new ServedClassifier(
                        "slow",
                        Application.NLP.TEXT_CLASSIFICATION,
                        List.of("short", "long"),
                        batcher,
                        null));
        PredictionServer server = PredictionServer.start(registry, options);
        int port = server.port();
        HttpClient http = HttpClient.newHttpClient();
        try {
            CompletableFuture<HttpResponse<String>> a =
                    http.sendAsync(classify(port, "a"), HttpResponse.BodyHandlers.ofString());
            assertTrue(slow.entered.await(30, TimeUnit.SECONDS), "the worker took the first text");
            CompletableFuture<HttpResponse<String>> b =
                    http.sendAsync(classify(port, "bb"), HttpResponse.BodyHandlers.ofString());
            CompletableFuture<HttpResponse<String>> c =
                    http.sendAsync(classify(port, "ccc"), HttpResponse.BodyHandlers.ofString());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (batcher.waiting() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(2, batcher.waiting(), "two texts wait: the queue is full");

            HttpResponse<String> full =
                    http.send(classify(port, "dddd"), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, full.statusCode(), full.body());
            assertEquals("1", full.headers().firstValue("Retry-After").orElse(null));
            assertTrue(full.body().contains("queue is full"), full.body());

            Thread closer = new Thread(server::close);
            closer.start();
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            boolean refused = false;
            while (!refused && System.nanoTime() < deadline) {
                refused = refusesNewRequests(port);
            }
            assertTrue(refused, "a server shutting down takes no new requests");
            assertTrue(closer.isAlive(), "the shutdown waits for the queued requests");
            assertTrue(!slow.closed);

            release.countDown();
            assertEquals(0.01, longProbability(a.get(30, TimeUnit.SECONDS)), 1e-12);
            assertEquals(0.02, longProbability(b.get(30, TimeUnit.SECONDS)), 1e-12);
            assertEquals(0.03, longProbability(c.get(30, TimeUnit.SECONDS)), 1e-12);
            closer.join(30_000);
            assertTrue(!closer.isAlive() && slow.closed, "the model is closed after its queue");
        } finally {
            release.countDown();
            server.close();
        }
    }
}
