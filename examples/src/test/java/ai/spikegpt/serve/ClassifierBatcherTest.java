package ai.spikegpt.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.modality.Classifications;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The batcher's batching, order, back-pressure and shutdown, with a recording classifier. */
class ClassifierBatcherTest {

    /** Answers each text with its length as the probability of "long"; records the batches. */
    static final class Recording implements BatchClassifier {
        final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release;
        volatile boolean closed;

        Recording(CountDownLatch release) {
            this.release = release;
        }

        @Override
        public List<Classifications> classify(List<String> texts) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            batches.add(List.copyOf(texts));
            return texts.stream()
                    .map(
                            t -> {
                                if (t.equals("bad")) {
                                    throw new IllegalArgumentException("bad text");
                                }
                                double p = t.length() / 100.0;
                                return new Classifications(
                                        List.of("short", "long"), List.of(1 - p, p));
                            })
                    .toList();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static ServerOptions options(int batchSize, long delay, int queue) {
        return ServerOptions.builder()
                .optBatchSize(batchSize)
                .optMaxBatchDelayMillis(delay)
                .optWorkers(1)
                .optQueueSize(queue)
                .build();
    }

    private static void awaitWaiting(ClassifierBatcher batcher, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (batcher.waiting() != n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(n, batcher.waiting());
    }

    @Test
    void collectsWaitingTextsIntoBatchesOfAtMostTheBatchSize() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Recording classifier = new Recording(release);
        ClassifierBatcher batcher =
                new ClassifierBatcher("m", () -> classifier, options(4, 50, 100));
        List<CompletableFuture<List<Classifications>>> results = new ArrayList<>();
        results.add(batcher.submit(List.of("x"))); // the worker takes it alone and blocks
        assertTrue(classifier.entered.await(10, TimeUnit.SECONDS));
        for (int i = 1; i <= 9; i++) {
            results.add(batcher.submit(List.of("x".repeat(i + 1))));
        }
        release.countDown();
        for (int i = 0; i < results.size(); i++) {
            Classifications c = results.get(i).get(10, TimeUnit.SECONDS).get(0);
            assertEquals((i + 1) / 100.0, c.get("long").getProbability(), 1e-12, "answer " + i);
        }
        assertEquals(List.of(1, 4, 4, 1), classifier.batches.stream().map(List::size).toList());
        batcher.close();
        assertTrue(classifier.closed);
    }

    @Test
    void aFullQueueRefusesAtOnceAndABadTextFailsOnlyItsOwnRequest() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Recording classifier = new Recording(release);
        ClassifierBatcher batcher = new ClassifierBatcher("m", () -> classifier, options(8, 0, 3));
        CompletableFuture<List<Classifications>> first = batcher.submit(List.of("a"));
        assertTrue(classifier.entered.await(10, TimeUnit.SECONDS));
        CompletableFuture<List<Classifications>> good = batcher.submit(List.of("bb", "ccc"));
        assertThrows(OverloadedException.class, () -> batcher.submit(List.of("d", "e")));
        CompletableFuture<List<Classifications>> bad = batcher.submit(List.of("bad"));
        assertThrows(OverloadedException.class, () -> batcher.submit(List.of("f")));
        assertThrows(
                RequestTooLargeException.class, () -> batcher.submit(List.of("1", "2", "3", "4")));
        release.countDown();
        assertEquals(1, first.get(10, TimeUnit.SECONDS).size());
        assertEquals(
                0.03, good.get(10, TimeUnit.SECONDS).get(1).get("long").getProbability(), 1e-12);
        Exception e = assertThrows(Exception.class, () -> bad.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof IllegalArgumentException, e.toString());
        batcher.close();
        assertThrows(OverloadedException.class, () -> batcher.submit(List.of("late")));
    }

    @Test
    void closeAnswersEveryQueuedText() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Recording classifier = new Recording(release);
        ClassifierBatcher batcher = new ClassifierBatcher("m", () -> classifier, options(2, 0, 10));
        List<CompletableFuture<List<Classifications>>> results = new ArrayList<>();
        results.add(batcher.submit(List.of("t0")));
        assertTrue(classifier.entered.await(10, TimeUnit.SECONDS));
        for (int i = 1; i < 5; i++) {
            results.add(batcher.submit(List.of("t" + i)));
        }
        awaitWaiting(batcher, 4);
        Thread closer = new Thread(batcher::close);
        closer.start();
        release.countDown();
        closer.join(10_000);
        for (CompletableFuture<List<Classifications>> r : results) {
            assertTrue(r.isDone() && !r.isCompletedExceptionally());
        }
        assertEquals(List.of(1, 2, 2), classifier.batches.stream().map(List::size).toList());
        assertTrue(classifier.closed);
    }
}
