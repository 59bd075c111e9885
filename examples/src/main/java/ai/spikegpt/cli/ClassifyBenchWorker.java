package ai.spikegpt.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.spikegpt.inference.JavaClassifier;
import ai.spikegpt.inference.JavaSpikeGpt;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.model.SpikeGptClassifier;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.training.LabeledTextDataset;
import ai.spikegpt.zoo.JavaModelDirectory;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * One process of {@code bench --mode classify}: what {@code bench_ref.py --mode classify} measures,
 * the same way, on the same token ids. Throughput: the whole set in length-sorted, right-padded
 * batches (median of the timed runs after the warm-up runs; runs during which other processes used
 * more than 0.25 cores are repeated); latency: batch 1 over the first {@code --latency-n}
 * sentences, p50 and p99. Prints {@code RESULT {json}}.
 */
@Command(name = "bench-classify-worker", hidden = true)
final class ClassifyBenchWorker implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "spikegpt-sst2")
    String model;

    @Option(names = "--ids", required = true)
    Path ids;

    @Mixin EngineOption engine;

    @Option(names = "--batch-size", defaultValue = "32")
    int batchSize;

    @Option(names = "--latency-n", defaultValue = "200")
    int latencyN;

    @Option(names = "--runs", defaultValue = "3")
    int runs;

    @Option(names = "--warmup", defaultValue = "2")
    int warmup;

    @Option(names = "--max-foreign", defaultValue = "0.25")
    double maxForeign;

    @Option(names = "--max-retries", defaultValue = "12")
    int maxRetries;

    @Override
    public Integer call() throws Exception {
        Path dir = ModelArgument.resolve(model);
        SpikeGptConfig config = ModelDirectory.config(dir);
        List<int[]> sentences = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (String line : Files.readAllLines(ids)) {
            String[] f = line.trim().split("\\s+");
            if (f[0].isEmpty()) {
                continue;
            }
            // as bench_ref.py: at most ctx tokens, an empty sentence becomes [0]
            int n = Math.min(config.getContextLength(), f.length - 1);
            int[] s = new int[Math.max(1, n)];
            for (int i = 0; i < n; i++) {
                s[i] = Integer.parseInt(f[i + 1]);
            }
            sentences.add(s);
            labels.add(LabeledTextDataset.labelIndex(f[0], config.getLabels()));
        }
        boolean java = engine.isJava(false);
        JsonObject result;
        if (java) {
            // read straight from the directory: this process never loads the native engine
            JavaClassifier classifier =
                    new JavaClassifier(JavaModelDirectory.classifier(dir, engine.format()));
            result = measure(sentences, labels, classifier::logits);
            result.addProperty("native_libraries", Machine.loadedBlas());
            result.addProperty("engine", "java " + engine.format());
            result.addProperty(
                    "skipped_macs", classifier.getModel().getCounter().skippedFraction());
            result.addProperty("kernels", "Java loops (" + JavaSpikeGpt.kernel() + ")");
        } else {
            try (NDManager manager = NDManager.newBaseManager()) {
                SpikeGptClassifier classifier = ModelDirectory.loadClassifier(dir, manager);
                ParameterStore ps = new ParameterStore(manager, false);
                result = measure(sentences, labels, b -> djl(classifier, ps, manager, b));
            }
            result.addProperty("engine", "djl");
            result.addProperty("kernels", Machine.loadedBlas());
        }
        result.addProperty("model", model);
        System.out.println("RESULT " + result);
        return 0;
    }

    private JsonObject measure(
            List<int[]> sentences, List<Integer> labels, Function<int[][], float[]> classify) {
        List<Integer> order =
                IntStream.range(0, sentences.size())
                        .boxed()
                        .sorted(Comparator.comparingInt(i -> sentences.get(i).length))
                        .toList();
        List<Double> times = new ArrayList<>();
        List<Double> rejected = new ArrayList<>();
        int correct = 0;
        for (int it = 0; times.size() < runs && it < runs + warmup + maxRetries; it++) {
            BenchCommand.Meter meter = new BenchCommand.Meter();
            correct = 0;
            for (int from = 0; from < order.size(); from += batchSize) {
                List<Integer> idx = order.subList(from, Math.min(order.size(), from + batchSize));
                int[][] batch = idx.stream().map(sentences::get).toArray(int[][]::new);
                float[] logits = classify.apply(batch);
                int classes = logits.length / batch.length;
                for (int j = 0; j < batch.length; j++) {
                    if (argmax(logits, j * classes, classes) == labels.get(idx.get(j))) {
                        correct++;
                    }
                }
            }
            meter.stop();
            if (it < warmup) {
                continue;
            }
            if (meter.foreignCores > maxForeign) {
                rejected.add(Math.round(meter.foreignCores * 100) / 100.0);
                continue;
            }
            times.add(Math.round(meter.wall * 1000) / 1000.0);
        }
        double[] latency = new double[Math.min(latencyN, sentences.size())];
        for (int i = 0; i < latency.length; i++) {
            long t0 = System.nanoTime();
            float[] logits = classify.apply(new int[][] {sentences.get(i)});
            argmax(logits, 0, logits.length);
            latency[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(latency);
        double median = BenchCommand.Worker.median(times);
        long tokens = sentences.stream().mapToLong(s -> s.length).sum();
        JsonObject r = new JsonObject();
        r.addProperty("config", "S");
        r.addProperty("mode", "classify");
        r.addProperty("sentences", sentences.size());
        r.addProperty("batch_size", batchSize);
        r.add("run_s", new Gson().toJsonTree(times));
        r.add("rejected_runs_foreign_cores", new Gson().toJsonTree(rejected));
        r.addProperty("sentences_per_s", sentences.size() / median);
        r.addProperty("tokens_per_s", tokens / median);
        r.addProperty("accuracy", correct / (double) sentences.size());
        if (latency.length > 0) {
            r.addProperty("latency_ms_p50", latency[latency.length / 2]);
            r.addProperty(
                    "latency_ms_p99",
                    latency[Math.min(latency.length - 1, (int) (0.99 * latency.length))]);
        }
        r.addProperty("peak_rss_mb", BenchCommand.Meter.peakRssMb());
        return r;
    }

    private static float[] djl(
            SpikeGptClassifier classifier, ParameterStore ps, NDManager manager, int[][] batch) {
        try (NDManager step = manager.newSubManager();
                NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDList inputs = paddedInputs(step, batch);
            NDArray logits = classifier.classify(ps, inputs.get(0), inputs.get(1), false);
            float[] out = logits.toFloatArray();
            logits.close();
            return out;
        }
    }

    /** The sentences as the translator batches them: (tokens, mask), zero-padded to the longest. */
    static NDList paddedInputs(NDManager manager, int[][] batch) {
        NDList[] items = new NDList[batch.length];
        for (int b = 0; b < batch.length; b++) {
            long[] ids = Arrays.stream(batch[b]).asLongStream().toArray();
            items[b] = new NDList(manager.create(ids), manager.ones(new Shape(ids.length)));
        }
        return SpikeGptClassifier.inputBatchifier().batchify(items);
    }

    private static int argmax(float[] x, int from, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (x[from + i] > x[from + best]) {
                best = i;
            }
        }
        return best;
    }
}
