package ai.spikegpt.cli;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.spikegpt.files.AtomicFiles;
import ai.spikegpt.inference.JavaSpikeGpt;
import ai.spikegpt.inference.JavaWeights;
import ai.spikegpt.io.DirectoryTransaction;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.io.SafetensorsReader;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.model.SpikeGptModel;
import ai.spikegpt.model.SpikeGptState;
import ai.spikegpt.training.GradientClipping;
import ai.spikegpt.training.LanguageModelLoss;
import ai.spikegpt.training.PyTorchAdam;
import ai.spikegpt.training.TrainingStep;
import ai.spikegpt.zoo.JavaModelDirectory;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code spikegpt bench}: training and generation throughput and peak memory on the reference
 * configurations, optionally beside the reference implementation's {@code bench_ref.py}, as a table
 * with ratios.
 *
 * <p>It measures what {@code bench_ref.py} measures, the same way: a training step is forward,
 * cross-entropy with L2Wrap, backward (as the LM trainer runs it: {@link TrainingStep}),
 * global-norm clipping (1.0) and Adam (lr 6e-4, betas 0.9 / 0.99, eps 4e-9) on random tokens with
 * dropout 0.03, through DJL's {@code Trainer}; generation is greedy, batch 1, one token per step
 * with the carried state. Each (configuration, mode) runs in its own JVM so that the peak RSS is
 * its own; each figure is the median of the timed runs after the warm-up runs, and a run during
 * which other processes used more than 0.25 cores is repeated. With {@code --reference}, DJL and
 * reference processes alternate for {@code --rounds} rounds, so that drifting machine load affects
 * both alike, and both run in the same environment (by default the reference's own tuning: {@code
 * OMP_WAIT_POLICY=PASSIVE} and glibc malloc knobs).
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmark training and generation on the reference configurations A and B.")
final class BenchCommand implements Callable<Integer> {

    /** The reference configurations of {@code bench_ref.py}. */
    static final Map<String, int[]> CONFIGS = new LinkedHashMap<>();

    static {
        // name: n_layer, n_embd, vocab, ctx, batch, generated tokens
        CONFIGS.put("A", new int[] {6, 256, 256, 256, 8, 256});
        CONFIGS.put("B", new int[] {12, 512, 256, 512, 4, 128});
    }

    /** The environment {@code bench_ref.py} tunes by default (OpenMP and glibc malloc). */
    static final Map<String, String> TUNED_ENV =
            Map.of(
                    "OMP_WAIT_POLICY", "PASSIVE",
                    "MALLOC_MMAP_THRESHOLD_", "33554432",
                    "MALLOC_TRIM_THRESHOLD_", "68719476736",
                    "MALLOC_TOP_PAD_", "268435456");

    @Option(names = "--only", description = "A or B (default: both)")
    String only;

    @Option(
            names = "--mode",
            description =
                    "train, rnn or classify (default: train and rnn; classify: the sentiment"
                            + " model's shape, see --ids)")
    String mode;

    @Option(
            names = "--ids",
            description =
                    "classify: sentences as LABEL id id ... lines (default: SST-2 test through"
                            + " spikegpt-sst2's tokenizer)")
    Path ids;

    @Option(
            names = "--runs",
            defaultValue = "3",
            description = "timed runs (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(
            names = "--warmup",
            defaultValue = "2",
            description = "warm-up runs (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(
            names = "--threads",
            defaultValue = "2",
            description = "native threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(
            names = "--reference",
            description = "also run ../shared/reference/bench_ref.py and print ratios")
    boolean reference;

    @Option(
            names = "--shared",
            description = "the shared folder (default: ../shared or $SPIKEGPT_SHARED)")
    Path shared;

    @Option(
            names = "--no-env-tuning",
            description = "do not set OMP_WAIT_POLICY=PASSIVE and the malloc knobs")
    boolean noEnvTuning;

    @Option(
            names = "--env",
            description =
                    "an extra environment setting for both implementations, KEY=VALUE (repeatable)")
    List<String> extraEnv = new ArrayList<>();

    @Option(
            names = "--rounds",
            defaultValue = "2",
            description = "alternating rounds per measurement (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(
            names = "--max-foreign",
            defaultValue = "0.25",
            description =
                    "classify: repeat a run during which other processes used more cores than this"
                            + " (default: ${DEFAULT-VALUE})")
    double maxForeign;

    @Option(names = "--json", description = "also write all results to this JSON file")
    Path json;

    @Mixin ForceOption overwrite;

    @Mixin EngineOption engine;

    @Override
    public Integer call() throws Exception {
        if (json != null) {
            overwrite.refuseExisting("--json", json);
        }
        if ("classify".equals(mode)) {
            return new ClassifyBench(this).run();
        }
        List<String> names =
                only == null
                        ? new ArrayList<>(CONFIGS.keySet())
                        : List.of(only.toUpperCase(Locale.ROOT));
        List<String> modes = mode == null ? List.of("train", "rnn") : List.of(mode);
        for (String n : names) {
            if (!CONFIGS.containsKey(n)) {
                throw new IllegalArgumentException("--only must be A or B, got " + n);
            }
        }
        for (String m : modes) {
            if (!m.equals("train") && !m.equals("rnn")) {
                throw new IllegalArgumentException(
                        "--mode must be train, rnn or classify, got " + m);
            }
        }
        try {
            return runAll(names, modes);
        } finally {
            for (Path dir : initialWeights.values()) {
                DirectoryTransaction.deleteRecursively(dir);
            }
        }
    }

    private int runAll(List<String> names, List<String> modes) throws Exception {
        List<JsonObject> ours = new ArrayList<>();
        List<JsonObject> ref = new ArrayList<>();
        Path script = reference ? referenceScript() : null;
        for (String n : names) {
            for (String m : modes) {
                List<JsonObject> mine = new ArrayList<>();
                List<JsonObject> theirs = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    System.err.printf("config %s, %s, round %d/%d: DJL ...%n", n, m, round, rounds);
                    mine.add(runWorker(n, m));
                    if (script != null) {
                        System.err.printf(
                                "config %s, %s, round %d/%d: reference ...%n", n, m, round, rounds);
                        theirs.add(runReference(script, n, m));
                    }
                }
                ours.add(combine(mine));
                if (script != null) {
                    ref.add(combine(theirs));
                }
            }
        }
        printTable(ours, ref);
        if (json != null) {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("djl", ours);
            all.put("reference", ref);
            AtomicFiles.writeString(json, new Gson().toJson(all));
        }
        return 0;
    }

    private JsonObject runWorker(String name, String workerMode)
            throws IOException, InterruptedException {
        boolean javaEngine = "rnn".equals(workerMode) && engine.isJava(true);
        List<String> cmd = javaCommand(javaEngine);
        cmd.addAll(
                List.of(
                        SpikeGptCli.class.getName(),
                        "bench-worker",
                        "--only",
                        name,
                        "--mode",
                        workerMode,
                        "--runs",
                        Integer.toString(runs),
                        "--warmup",
                        Integer.toString(warmup)));
        if ("rnn".equals(workerMode)) {
            // batch-1 generation runs on the Java engine unless --engine djl says otherwise
            cmd.addAll(List.of("--engine", javaEngine ? "java" : "djl"));
            cmd.addAll(List.of("--weights", engine.format().toString()));
            if (javaEngine) {
                cmd.addAll(List.of("--model-dir", initialWeights(name).toString()));
            }
        }
        // the MKL shim speeds up training's large matrix products but slows batch-1 generation
        return runForResult(cmd, "DJL worker", "rnn".equals(workerMode));
    }

    /** The initial weights of each configuration, saved by {@link #initialWeights}. */
    private final Map<String, Path> initialWeights = new HashMap<>();

    /**
     * The DJL worker's initial weights of a configuration (rwkv init, seed 0), saved once to a
     * temporary model directory by a worker process, so that the Java engine's workers run the same
     * weights without loading the native engine themselves (its libraries and arenas would count in
     * their peak RSS). Deleted when the benchmark ends.
     */
    private Path initialWeights(String name) throws IOException, InterruptedException {
        Path dir = initialWeights.get(name);
        if (dir == null) {
            dir = Files.createTempDirectory("spikegpt-bench-" + name);
            initialWeights.put(name, dir);
            List<String> cmd = javaCommand();
            cmd.addAll(
                    List.of(
                            SpikeGptCli.class.getName(),
                            "bench-worker",
                            "--only",
                            name,
                            "--mode",
                            "rnn",
                            "--save-weights",
                            dir.toString()));
            runForResult(cmd, "saving the initial weights", true);
        }
        return dir;
    }

    /**
     * The JVM of a worker process that runs the DJL blocks: this JVM's class path, the native
     * thread settings.
     */
    List<String> javaCommand() {
        return javaCommand(false);
    }

    /**
     * The JVM of a worker process: this JVM's class path, the native thread settings, and a heap
     * for its engine.
     *
     * <p>DJL workers: a heap that never shrinks. The segmented backward keeps its saved values in
     * Java arrays, and a heap that shrinks and regrows every step faults its pages in again
     * (seconds a step on B).
     *
     * <p>Java-engine workers hold the weights for the whole run and otherwise only arrays that die
     * within a call (a batch's activations, 1-10 MB each), so their heap is sized for that:
     *
     * <ul>
     *   <li>not G1: an array over half a region is a humongous object placed in free old regions,
     *       so these arrays wander over a heap that G1 grows during the load's burst of collections
     *       (classify: 630-970 MB peak RSS for 45 MB of weights);
     *   <li>the serial collector with a fixed 32 MB young generation ({@code -Xmn32m}): the churn
     *       reuses the same eden pages, and a young collection copies only the arrays in flight;
     *   <li>a small initial heap ({@code -Xms64m}): arrays still in flight at a young collection
     *       overflow the survivor space into the old generation; with the default initial heap
     *       (1/64 of RAM) that garbage fills hundreds of MB of old generation before the first full
     *       collection, with a small one the old generation grows with the live weights.
     * </ul>
     *
     * Measured on the EPYC under load (one timed run, no native engine loaded): classify 814 (G1)
     * to 201 MB peak RSS, rnn B 395 to 268 MB, rnn A 192 to 158 MB; collections took about 1.3% of
     * classify's run time, throughput within the noise.
     *
     * @param javaEngine whether the worker runs the pure-Java engine
     * @return the command up to the class path
     */
    List<String> javaCommand(boolean javaEngine) {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd =
                new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-Xmx6g"));
        cmd.addAll(
                javaEngine
                        ? List.of("-XX:+UseSerialGC", "-Xms64m", "-Xmn32m")
                        : List.of("-XX:MaxHeapFreeRatio=100"));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
        cmd.add("-Dai.djl.pytorch.num_threads=" + threads);
        cmd.add("-Dai.djl.pytorch.num_interop_threads=1");
        return cmd;
    }

    private static final String MKL_SHIM = "mkl_any_vendor";

    /**
     * Whether the launcher preloaded the MKL vendor shim
     * (examples/src/main/native/mkl_any_vendor.c).
     */
    static boolean mklShim() {
        return System.getenv().getOrDefault("LD_PRELOAD", "").contains(MKL_SHIM);
    }

    JsonObject runForResult(List<String> cmd, String what, boolean withoutShim)
            throws IOException, InterruptedException {
        return runForResult(cmd, what, withoutShim, TUNED_ENV);
    }

    /** Runs a benchmark process in the environment given (unless --no-env-tuning). */
    JsonObject runForResult(
            List<String> cmd, String what, boolean withoutShim, Map<String, String> tuned)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        if (withoutShim) {
            // the reference has no MKL, generation is faster without the shim
            String kept =
                    String.join(
                            ":",
                            Arrays.stream(
                                            pb.environment()
                                                    .getOrDefault("LD_PRELOAD", "")
                                                    .split(":"))
                                    .filter(x -> !x.isEmpty() && !x.contains(MKL_SHIM))
                                    .toList());
            if (kept.isEmpty()) {
                pb.environment().remove("LD_PRELOAD");
            } else {
                pb.environment().put("LD_PRELOAD", kept);
            }
        }
        if (!noEnvTuning) {
            pb.environment().putAll(tuned);
        }
        for (String kv : extraEnv) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--env takes KEY=VALUE, got " + kv);
            }
            pb.environment().put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        Process p = pb.start();
        JsonObject result = null;
        try (BufferedReader r =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("RESULT ")) {
                    result = JsonParser.parseString(line.substring(7)).getAsJsonObject();
                }
            }
        }
        int rc = p.waitFor();
        if (rc != 0 || result == null) {
            throw new IllegalStateException(
                    what + " failed (exit " + rc + "): " + String.join(" ", cmd));
        }
        return result;
    }

    /** The shared folder: --shared, $SPIKEGPT_SHARED or ../shared. */
    Path sharedDir() {
        return shared != null
                ? shared
                : Paths.get(System.getenv().getOrDefault("SPIKEGPT_SHARED", "../shared"));
    }

    Path referenceScript() {
        Path dir = sharedDir();
        Path script = dir.resolve("reference/bench_ref.py");
        if (!Files.isRegularFile(script)) {
            throw new IllegalArgumentException(
                    "no reference benchmark at " + script + ": pass --shared DIR");
        }
        if (!Files.isExecutable(Paths.get("/usr/bin/python3"))) {
            throw new IllegalStateException(
                    "--reference needs /usr/bin/python3 with Debian's python3-torch");
        }
        return script;
    }

    private JsonObject runReference(Path script, String name, String workerMode)
            throws IOException, InterruptedException {
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                "/usr/bin/python3",
                                script.toString(),
                                "--worker",
                                "--only",
                                name,
                                "--mode",
                                workerMode,
                                "--threads",
                                Integer.toString(threads),
                                "--runs",
                                Integer.toString(runs),
                                "--warmup",
                                Integer.toString(warmup)));
        return runForResult(cmd, "bench_ref.py", true);
    }

    /**
     * Merges the rounds of one measurement: the median over all timed runs, the largest peak RSS.
     */
    private static JsonObject combine(List<JsonObject> results) {
        JsonObject first = results.get(0);
        String mode = first.get("mode").getAsString();
        String key = first.has("run_s") ? "run_s" : "step_s";
        int[] config = CONFIGS.get(first.get("config").getAsString());
        double unit =
                "train".equals(mode)
                        ? config[4] * config[3]
                        : first.get("gen_tokens").getAsDouble();
        List<Double> times = new ArrayList<>();
        double rss = 0;
        for (JsonObject r : results) {
            r.getAsJsonArray(key).forEach(t -> times.add(t.getAsDouble()));
            rss = Math.max(rss, r.get("peak_rss_mb").getAsDouble());
        }
        JsonObject out = first.deepCopy();
        out.addProperty("tokens_per_s", unit / Worker.median(times));
        out.addProperty("peak_rss_mb", rss);
        out.add("all_run_s", new Gson().toJsonTree(times));
        out.addProperty("rounds", results.size());
        return out;
    }

    private static void printTable(List<JsonObject> ours, List<JsonObject> ref) {
        System.out.println();
        System.out.println(
                "| config | params | mode | DJL tok/s | reference tok/s | DJL / reference | DJL peak RSS | reference peak RSS |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (JsonObject o : ours) {
            String cfg = o.get("config").getAsString();
            String m = o.get("mode").getAsString();
            JsonObject r =
                    ref.stream()
                            .filter(
                                    x ->
                                            x.get("config").getAsString().equals(cfg)
                                                    && x.get("mode").getAsString().equals(m))
                            .findFirst()
                            .orElse(null);
            double tok = o.get("tokens_per_s").getAsDouble();
            String refTok =
                    r == null ? "-" : String.format("%.1f", r.get("tokens_per_s").getAsDouble());
            String ratio =
                    r == null
                            ? "-"
                            : String.format("%.2fx", tok / r.get("tokens_per_s").getAsDouble());
            String refRss =
                    r == null ? "-" : String.format("%.0f MB", r.get("peak_rss_mb").getAsDouble());
            System.out.printf(
                    "| %s | %.2f M | %s | %.1f | %s | %s | %.0f MB | %s |%n",
                    describe(cfg),
                    o.get("params").getAsLong() / 1e6,
                    o.has("engine") ? m + " (" + o.get("engine").getAsString() + ")" : m,
                    tok,
                    refTok,
                    ratio,
                    o.get("peak_rss_mb").getAsDouble(),
                    refRss);
        }
        System.out.println();
        System.out.println(
                "train: tokens/s of forward + L2Wrap CE + backward + clip + Adam (B x ctx tokens a step);"
                        + " rnn: greedy batch-1 generation. Median of the timed runs.");
        System.out.println(
                mklShim()
                        ? "DJL's MKL ran with its vendor check answered for training (AVX-512 kernels on this AMD CPU; SPIKEGPT_MKL_VENDOR_CHECK=keep turns it off), as shipped for generation."
                        : "DJL's MKL ran as shipped (on AMD CPUs: AVX2 kernels; the ./spikegpt launcher enables AVX-512 ones).");
    }

    private static String describe(String name) {
        int[] c = CONFIGS.get(name);
        return String.format("%s: L%d C%d V%d ctx%d B%d", name, c[0], c[1], c[2], c[3], c[4]);
    }

    /** The measured unit of one benchmark process; prints {@code RESULT {json}}. */
    @Command(name = "bench-worker", hidden = true)
    static final class Worker implements Callable<Integer> {
        @Option(names = "--only", required = true)
        String only;

        @Option(names = "--mode", required = true)
        String mode;

        @Option(names = "--runs", defaultValue = "3")
        int runs;

        @Option(names = "--warmup", defaultValue = "2")
        int warmup;

        @Option(names = "--max-foreign", defaultValue = "0.25")
        double maxForeign;

        @Option(names = "--max-retries", defaultValue = "12")
        int maxRetries;

        @Mixin EngineOption engine;

        @Option(
                names = "--model-dir",
                description =
                        "rnn on the Java engine: the weights saved by --save-weights (without it"
                                + " they are initialised here, through the native engine)")
        Path modelDir;

        @Option(
                names = "--save-weights",
                description = "only save the initial weights to this model directory")
        Path saveWeights;

        @Override
        public Integer call() throws Exception {
            int[] c = CONFIGS.get(only);
            SpikeGptConfig config =
                    SpikeGptConfig.builder()
                            .setLayers(c[0])
                            .setEmbeddingSize(c[1])
                            .setVocabSize(c[2])
                            .optContextLength(c[3])
                            .optDropout(0.03f)
                            .optInit("rwkv", 5f, 12f)
                            .build();
            int batch = c[4];
            JsonObject result = new JsonObject();
            result.addProperty("config", only);
            result.addProperty("mode", mode);
            List<Double> times = new ArrayList<>();
            List<Double> rejected = new ArrayList<>();
            if ("rnn".equals(mode) && modelDir != null && engine.isJava(false)) {
                javaRnn(c, times, rejected, result);
                System.out.println("RESULT " + result);
                return 0;
            }
            Engine.getInstance().setRandomSeed(0);
            try (Model model = Model.newInstance("bench")) {
                SpikeGptModel block = new SpikeGptModel(config);
                model.setBlock(block);
                if (saveWeights != null) {
                    // exactly the weights the rnn runs below start from
                    block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1));
                    ModelDirectory.save(saveWeights, block, config, null, DataType.FLOAT32, null);
                    result.addProperty("saved", saveWeights.toString());
                    System.out.println("RESULT " + result);
                    return 0;
                }
                if ("train".equals(mode)) {
                    trainRuns(model, config, batch, times, rejected, result);
                    result.addProperty("tokens_per_s", batch * c[3] / median(times));
                } else {
                    block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1));
                    if (engine.isJava(false)) {
                        JavaSpikeGpt java =
                                new JavaSpikeGpt(JavaWeights.of(block, engine.format()));
                        result.addProperty("engine", "java " + engine.format());
                        JavaRnnRuns.run(
                                java,
                                c[5],
                                runs + warmup + maxRetries,
                                () -> times.size() >= runs,
                                (it, m) -> record(it, m, times, rejected));
                    } else {
                        rnnRuns(model, block, c[5], times, rejected);
                    }
                    result.addProperty("gen_tokens", c[5]);
                    result.addProperty("tokens_per_s", c[5] / median(times));
                }
                long params =
                        block.getParameters().values().stream()
                                .mapToLong(p -> p.getArray().size())
                                .sum();
                result.addProperty("params", params);
            }
            result.add("run_s", new Gson().toJsonTree(times));
            result.add("rejected_runs_foreign_cores", new Gson().toJsonTree(rejected));
            result.addProperty("peak_rss_mb", Meter.peakRssMb());
            result.addProperty(
                    "threads",
                    Engine.getInstance().getEngineName()
                            + " "
                            + System.getProperty("ai.djl.pytorch.num_threads"));
            System.out.println("RESULT " + result);
            return 0;
        }

        /**
         * Generation on the Java engine from the weights in {@code --model-dir}: this process never
         * loads the native engine (the result lists the native math libraries it mapped).
         */
        private void javaRnn(int[] c, List<Double> times, List<Double> rejected, JsonObject result)
                throws IOException {
            JavaSpikeGpt java =
                    new JavaSpikeGpt(JavaModelDirectory.languageModel(modelDir, engine.format()));
            SpikeGptConfig loaded = java.getConfig();
            if (loaded.getLayers() != c[0] || loaded.getEmbeddingSize() != c[1]) {
                throw new IllegalArgumentException(
                        modelDir + " does not hold config " + only + "'s model: " + loaded);
            }
            result.addProperty("engine", "java " + engine.format());
            JavaRnnRuns.run(
                    java,
                    c[5],
                    runs + warmup + maxRetries,
                    () -> times.size() >= runs,
                    (it, m) -> record(it, m, times, rejected));
            result.addProperty("gen_tokens", c[5]);
            result.addProperty("tokens_per_s", c[5] / median(times));
            try (SafetensorsReader weights =
                    SafetensorsReader.open(modelDir.resolve(ModelDirectory.WEIGHTS))) {
                result.addProperty(
                        "params", weights.shapes().values().stream().mapToLong(Shape::size).sum());
            }
            result.add("run_s", new Gson().toJsonTree(times));
            result.add("rejected_runs_foreign_cores", new Gson().toJsonTree(rejected));
            result.addProperty("peak_rss_mb", Meter.peakRssMb());
            result.addProperty(
                    "threads",
                    "java (common pool " + ForkJoinPool.getCommonPoolParallelism() + ")");
            result.addProperty("native_libraries", Machine.loadedBlas());
        }

        private void trainRuns(
                Model model,
                SpikeGptConfig config,
                int batch,
                List<Double> times,
                List<Double> rejected,
                JsonObject result) {
            GradientClipping clipping = new GradientClipping(1f);
            DefaultTrainingConfig tc =
                    new DefaultTrainingConfig(new LanguageModelLoss(true))
                            .optOptimizer(PyTorchAdam.builder().build())
                            .addTrainingListeners(clipping);
            int ctx = config.getContextLength();
            try (Trainer trainer = model.newTrainer(tc)) {
                trainer.initialize(new Shape(batch, ctx));
                NDManager manager = trainer.getManager();
                for (int it = 0; times.size() < runs && it < runs + warmup + maxRetries; it++) {
                    try (NDManager step = manager.newSubManager()) {
                        NDArray x =
                                step.randomInteger(
                                        0,
                                        config.getVocabSize(),
                                        new Shape(batch, ctx + 1),
                                        DataType.INT64);
                        NDArray data = x.get(new NDIndex(":, :-1"));
                        NDArray labels = x.get(new NDIndex(":, 1:"));
                        Meter meter = new Meter();
                        try (Batch b =
                                new Batch(
                                        step,
                                        new NDList(data),
                                        new NDList(labels),
                                        1,
                                        null,
                                        null,
                                        0,
                                        1)) {
                            TrainingStep.trainBatch(trainer, b);
                            trainer.step();
                        }
                        meter.stop();
                        record(it, meter, times, rejected);
                    }
                }
                result.addProperty("last_grad_norm", clipping.getLastNorm());
            }
        }

        private void rnnRuns(
                Model model,
                SpikeGptModel block,
                int tokens,
                List<Double> times,
                List<Double> rejected) {
            NDManager manager = model.getNDManager();
            ParameterStore ps = new ParameterStore(manager, false);
            for (int it = 0; times.size() < runs && it < runs + warmup + maxRetries; it++) {
                try (NDManager run = manager.newSubManager()) {
                    SpikeGptState state = SpikeGptState.zeros(run, block.getConfig(), 1);
                    long token = 1;
                    Meter meter = new Meter();
                    for (int i = 0; i < tokens; i++) {
                        try (NDScope scope = new NDScope()) {
                            scope.suppressNotUsedWarning();
                            NDArray input = run.create(new long[] {token}, new Shape(1, 1));
                            SpikeGptModel.Output out = block.forward(ps, input, state, false, null);
                            token = out.logits().argMax(-1).getLong();
                            SpikeGptState next = out.state();
                            NDScope.unregister(next.toNDList());
                            state.close();
                            state = next;
                        }
                    }
                    meter.stop();
                    state.close();
                    record(it, meter, times, rejected);
                }
            }
        }

        private void record(int it, Meter meter, List<Double> times, List<Double> rejected) {
            if (it < warmup) {
                return;
            }
            if (meter.foreignCores > maxForeign) {
                rejected.add(Math.round(meter.foreignCores * 100) / 100.0);
                return;
            }
            times.add(Math.round(meter.wall * 1000) / 1000.0);
        }

        static double median(List<Double> values) {
            if (values.isEmpty()) {
                throw new IllegalStateException(
                        "every run was disturbed by other processes: retry on a quieter machine");
            }
            List<Double> sorted = new ArrayList<>(values);
            Collections.sort(sorted);
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }
    }

    /**
     * Times a unit and estimates how many cores other processes used meanwhile (machine busy time
     * from /proc/stat minus this process's CPU time), as {@code bench_ref.py} does.
     */
    static final class Meter {
        private final long start = System.nanoTime();
        private final double cpu0 = processCpu();
        private final double busy0 = machineBusy();
        double wall;
        double foreignCores;

        void stop() {
            wall = (System.nanoTime() - start) / 1e9;
            double cpu = processCpu() - cpu0;
            double busy = machineBusy() - busy0;
            foreignCores = Math.max(0, busy - cpu) / wall;
        }

        private static double processCpu() {
            try {
                String stat = Files.readString(Paths.get("/proc/self/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        private static double machineBusy() {
            try (BufferedReader r = Files.newBufferedReader(Paths.get("/proc/stat"))) {
                String[] f = r.readLine().trim().split("\\s+");
                long total = 0;
                for (int i = 1; i <= 8 && i < f.length; i++) {
                    total += Long.parseLong(f[i]);
                }
                long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
                return (total - idle) / 100.0;
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        static double peakRssMb() {
            try {
                for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                    if (line.startsWith("VmHWM:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                    }
                }
            } catch (IOException e) {
                return -1;
            }
            return -1;
        }
    }
}
