package ai.spikegpt.serve;

import ai.djl.modality.Classifications;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DJL Serving's dynamic batching for one classifier: texts from concurrent requests wait in a
 * bounded queue; a worker takes the first, waits up to {@code maxBatchDelay} for more (at most
 * {@code batchSize}), and classifies them as one padded batch. Under load the batches fill at once
 * and the model runs a few large products instead of many small ones; when idle a lone text waits
 * at most the delay.
 *
 * <p>Back-pressure: the queue holds at most {@code queueSize} texts; a request whose texts do not
 * fit is refused at once ({@link OverloadedException}), never queued without bound. {@link #close}
 * refuses new texts, lets the workers finish every queued one, and closes their classifiers.
 */
public final class ClassifierBatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClassifierBatcher.class);

    /** One text and the answer its request waits for. */
    private record Job(String text, CompletableFuture<Classifications> result) {}

    private final String name;
    private final int batchSize;
    private final long maxBatchDelayNanos;
    private final int queueSize;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Semaphore free;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean closed;

    /**
     * Starts the workers.
     *
     * @param name the model's name, for messages and thread names
     * @param classifiers makes each worker's classifier (called once a worker)
     * @param options batch size, delay, workers and queue size
     */
    public ClassifierBatcher(
            String name, Supplier<BatchClassifier> classifiers, ServerOptions options) {
        this.name = name;
        this.batchSize = options.getBatchSize();
        this.maxBatchDelayNanos = TimeUnit.MILLISECONDS.toNanos(options.getMaxBatchDelayMillis());
        this.queueSize = options.getQueueSize();
        this.free = new Semaphore(queueSize);
        for (int i = 0; i < options.getWorkers(); i++) {
            BatchClassifier classifier = classifiers.get();
            Thread worker = new Thread(() -> work(classifier), name + "-worker-" + i);
            worker.setDaemon(true);
            workers.add(worker);
        }
        workers.forEach(Thread::start);
    }

    /**
     * Queues texts for classification; all of them or none.
     *
     * @param texts the texts, none empty
     * @return their classifications, in order, when the batches holding them have run
     * @throws OverloadedException if the queue has no room for them, or the batcher is closed
     * @throws RequestTooLargeException if there are more texts than the queue can ever hold
     */
    public synchronized CompletableFuture<List<Classifications>> submit(List<String> texts) {
        if (closed) {
            throw new OverloadedException(name + " is shutting down: send the request elsewhere");
        }
        if (texts.size() > queueSize) {
            throw new RequestTooLargeException(
                    texts.size()
                            + " inputs in one request, more than the queue of "
                            + queueSize
                            + " holds: send them in smaller requests");
        }
        if (!free.tryAcquire(texts.size())) {
            throw new OverloadedException(
                    name
                            + "'s queue is full ("
                            + queueSize
                            + " texts waiting): retry after a moment");
        }
        List<CompletableFuture<Classifications>> results = new ArrayList<>(texts.size());
        for (String text : texts) {
            CompletableFuture<Classifications> result = new CompletableFuture<>();
            results.add(result);
            queue.add(new Job(text, result));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(done -> results.stream().map(CompletableFuture::join).toList());
    }

    /**
     * @return the number of texts waiting for a worker
     */
    public int waiting() {
        return queue.size();
    }

    private void work(BatchClassifier classifier) {
        try (classifier) {
            while (true) {
                List<Job> batch = nextBatch();
                if (batch == null) {
                    return;
                }
                run(classifier, batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next batch: the first job, then more until the batch is full or the delay is over. */
    private List<Job> nextBatch() throws InterruptedException {
        Job first = null;
        while (first == null) {
            if (closed && queue.isEmpty()) {
                return null;
            }
            first = queue.poll(50, TimeUnit.MILLISECONDS);
        }
        List<Job> batch = new ArrayList<>(batchSize);
        batch.add(first);
        long deadline = System.nanoTime() + maxBatchDelayNanos;
        while (batch.size() < batchSize) {
            long left = deadline - System.nanoTime();
            Job next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
            if (next == null) {
                break;
            }
            batch.add(next);
        }
        free.release(batch.size());
        return batch;
    }

    /**
     * Classifies a batch; if the batch fails, each text alone, so that one refused text fails only
     * its own request. Every job is answered, whatever happens.
     */
    private void run(BatchClassifier classifier, List<Job> batch) {
        try {
            List<Classifications> results =
                    classifier.classify(batch.stream().map(Job::text).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(results.get(i));
            }
        } catch (Exception batchFailure) {
            if (batch.size() == 1) {
                batch.get(0).result().completeExceptionally(batchFailure);
                return;
            }
            for (Job job : batch) {
                try {
                    job.result().complete(classifier.classify(List.of(job.text())).get(0));
                } catch (Exception e) {
                    job.result().completeExceptionally(e);
                }
            }
        } finally {
            for (Job job : batch) {
                job.result()
                        .completeExceptionally(
                                new IllegalStateException(name + "'s worker failed"));
            }
        }
    }

    /**
     * Refuses new texts, waits until the workers have classified every queued one, and closes their
     * classifiers.
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.warn("interrupted while {}'s workers finished their queue", name);
                return;
            }
        }
    }
}
