package ai.spikegpt.serve;

import ai.djl.Application;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import ai.spikegpt.generate.SamplingConfig;
import ai.spikegpt.tokenizer.TextTokenizer;
import ai.spikegpt.translator.StreamingTextGenerationTranslator;
import ai.spikegpt.translator.TextGenerationTranslator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A language model behind the server. Generation is one prompt at a time a worker (each request has
 * its own sampling settings), through the library's translators: a request gets a predictor with a
 * {@link TextGenerationTranslator} or {@link StreamingTextGenerationTranslator} made for its
 * settings, over the one loaded model. Prompts wait in a bounded queue; a full queue refuses at
 * once ({@link OverloadedException}).
 */
public final class ServedLanguageModel implements ServedModel {

    /** The longest prompt, in tokens (the translator factory's default). */
    private static final int MAX_PROMPT_TOKENS = 4096;

    private final String name;
    private final Application application;
    private final ZooModel<String, String> model;
    private final TextTokenizer tokenizer;
    private final ThreadPoolExecutor workers;

    /**
     * @param name the name in {@code /predictions/{name}}
     * @param application what it does ({@code nlp/text_generation})
     * @param model the loaded model (closed with this)
     * @param tokenizer its tokenizer (closed with this)
     * @param options workers and queue size
     */
    public ServedLanguageModel(
            String name,
            Application application,
            ZooModel<String, String> model,
            TextTokenizer tokenizer,
            ServerOptions options) {
        this.name = name;
        this.application = application;
        this.model = model;
        this.tokenizer = tokenizer;
        AtomicInteger count = new AtomicInteger();
        this.workers =
                new ThreadPoolExecutor(
                        options.getWorkers(),
                        options.getWorkers(),
                        0,
                        TimeUnit.MILLISECONDS,
                        new ArrayBlockingQueue<>(options.getQueueSize()),
                        r -> {
                            Thread t = new Thread(r, name + "-worker-" + count.getAndIncrement());
                            t.setDaemon(true);
                            return t;
                        });
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Application application() {
        return application;
    }

    @Override
    public List<String> labels() {
        return List.of();
    }

    /**
     * @return the model's tokenizer
     */
    TextTokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * Runs a generation on a worker.
     *
     * @param task the generation (it writes its own reply)
     * @return done when the task is
     * @throws OverloadedException if the queue is full or the server is shutting down
     */
    CompletableFuture<Void> submit(Runnable task) {
        try {
            return CompletableFuture.runAsync(task, workers);
        } catch (RejectedExecutionException e) {
            throw new OverloadedException(
                    workers.isShutdown()
                            ? name + " is shutting down: send the request elsewhere"
                            : name + "'s queue is full: retry after a moment");
        }
    }

    /**
     * @param sampling the request's settings
     * @return a predictor for the whole continuation at once (close it)
     */
    Predictor<String, String> predictor(SamplingConfig sampling) {
        return model.newPredictor(
                new TextGenerationTranslator(tokenizer, sampling, MAX_PROMPT_TOKENS));
    }

    /**
     * @param sampling the request's settings
     * @return a predictor that streams the continuation piece by piece (close it)
     */
    Predictor<String, Iterator<String>> streamingPredictor(SamplingConfig sampling) {
        return model.newPredictor(
                new StreamingTextGenerationTranslator(tokenizer, sampling, MAX_PROMPT_TOKENS));
    }

    @Override
    public void close() {
        workers.shutdown();
        try {
            workers.awaitTermination(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        model.close();
        tokenizer.close();
    }
}
