package ai.spikegpt.cli;

import ai.spikegpt.files.AtomicFiles;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.tokenizer.TextTokenizer;
import ai.spikegpt.training.LabeledTextDataset;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * {@code bench --mode classify}: the sentiment model ({@code spikegpt-sst2}, config S of {@code
 * bench_ref.py}) classifying the same token ids with the DJL blocks, with the Java engine, and
 * (with {@code --reference}) with {@code bench_ref.py --mode classify}, round by round, then one
 * table with the ratios, the machine and the kernels each side ran.
 */
final class ClassifyBench {

    private static final String MODEL = "spikegpt-sst2";
    private static final String[] ENGINES = {"djl", "java"};

    private final BenchCommand bench;

    ClassifyBench(BenchCommand bench) {
        this.bench = bench;
    }

    int run() throws Exception {
        if (bench.only != null && !"S".equalsIgnoreCase(bench.only)) {
            throw new IllegalArgumentException(
                    "--mode classify runs config S only, not " + bench.only);
        }
        Path dir = ModelArgument.resolve(MODEL);
        Path ids = bench.ids != null ? bench.ids : defaultIds(dir);
        Path script = bench.reference ? bench.referenceScript() : null;
        Map<String, List<JsonObject>> results = new LinkedHashMap<>();
        for (int round = 1; round <= bench.rounds; round++) {
            for (String engine : ENGINES) {
                System.err.printf("classify, round %d/%d: %s ...%n", round, bench.rounds, engine);
                results.computeIfAbsent(engine, k -> new ArrayList<>()).add(worker(ids, engine));
            }
            if (script != null) {
                System.err.printf("classify, round %d/%d: reference ...%n", round, bench.rounds);
                results.computeIfAbsent("reference", k -> new ArrayList<>())
                        .add(reference(script, ids, dir));
            }
        }
        Map<String, JsonObject> combined = new LinkedHashMap<>();
        results.forEach((k, v) -> combined.put(k, combine(v)));
        String machine = Machine.cpu();
        String referenceBlas = script == null ? "-" : referenceBlas();
        print(combined, machine, referenceBlas);
        if (bench.json != null) {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("machine", machine);
            all.put("reference_blas", referenceBlas);
            all.put("classify", combined);
            AtomicFiles.writeString(bench.json, new Gson().toJson(all));
        }
        return 0;
    }

    private JsonObject worker(Path ids, String engine) throws IOException, InterruptedException {
        List<String> cmd = bench.javaCommand("java".equals(engine));
        cmd.addAll(
                List.of(
                        SpikeGptCli.class.getName(),
                        "bench-classify-worker",
                        "--model",
                        MODEL,
                        "--ids",
                        ids.toString(),
                        "--engine",
                        engine,
                        "--runs",
                        Integer.toString(bench.runs),
                        "--warmup",
                        Integer.toString(bench.warmup),
                        "--max-foreign",
                        Double.toString(bench.maxForeign)));
        return bench.runForResult(cmd, "classify worker (" + engine + ")", true, tunedEnv());
    }

    private JsonObject reference(Path script, Path ids, Path dir)
            throws IOException, InterruptedException {
        List<String> cmd =
                List.of(
                        "/usr/bin/python3",
                        script.toString(),
                        "--worker",
                        "--only",
                        "S",
                        "--mode",
                        "classify",
                        "--ids",
                        ids.toString(),
                        "--weights",
                        dir.resolve(ModelDirectory.WEIGHTS).toString(),
                        "--threads",
                        Integer.toString(bench.threads),
                        "--runs",
                        Integer.toString(bench.runs),
                        "--warmup",
                        Integer.toString(bench.warmup),
                        "--max-foreign",
                        Double.toString(bench.maxForeign));
        JsonObject r = bench.runForResult(cmd, "bench_ref.py", true, tunedEnv());
        r.addProperty("engine", "reference");
        return r;
    }

    /**
     * {@code bench_ref.py}'s own tuning for this mode: the malloc knobs, but spinning OpenMP
     * workers (batched inference is a few hundred small ops a batch; sleeping workers cost ~45%).
     */
    private static Map<String, String> tunedEnv() {
        Map<String, String> env = new HashMap<>(BenchCommand.TUNED_ENV);
        env.remove("OMP_WAIT_POLICY");
        return env;
    }

    /** Writes SST-2 test as token ids ({@code spikegpt tokenize --data}) to a temporary file. */
    private Path defaultIds(Path dir) throws IOException {
        Path data = bench.sharedDir().resolve("data/sst2/stsa.binary.test");
        if (!Files.isRegularFile(data)) {
            throw new IllegalArgumentException(
                    "no SST-2 test set at " + data + ": pass --ids FILE or --shared DIR");
        }
        SpikeGptConfig config = ModelDirectory.config(dir);
        List<String> lines = new ArrayList<>();
        try (TextTokenizer tokenizer = ModelDirectory.tokenizer(dir)) {
            for (LabeledTextDataset.Example e : LabeledTextDataset.read(data)) {
                long[] ids = tokenizer.encode(config.getTextNormalization().apply(e.text()));
                lines.add(
                        e.label()
                                + " "
                                + LongStream.of(ids)
                                        .mapToObj(Long::toString)
                                        .collect(Collectors.joining(" ")));
            }
        }
        Path file = Files.createTempFile("sst2-test", ".ids");
        file.toFile().deleteOnExit();
        Files.write(file, lines);
        return file;
    }

    /** Merges rounds: the median over all timed runs and of the latencies, the largest RSS. */
    private static JsonObject combine(List<JsonObject> rounds) {
        List<Double> times = new ArrayList<>();
        List<Double> p50 = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        double rss = 0;
        for (JsonObject r : rounds) {
            r.getAsJsonArray("run_s").forEach(t -> times.add(t.getAsDouble()));
            p50.add(r.get("latency_ms_p50").getAsDouble());
            p99.add(r.get("latency_ms_p99").getAsDouble());
            rss = Math.max(rss, r.get("peak_rss_mb").getAsDouble());
        }
        JsonObject out = rounds.get(0).deepCopy();
        double median = BenchCommand.Worker.median(times);
        out.addProperty("sentences_per_s", out.get("sentences").getAsDouble() / median);
        out.addProperty("latency_ms_p50", BenchCommand.Worker.median(p50));
        out.addProperty("latency_ms_p99", BenchCommand.Worker.median(p99));
        out.addProperty("peak_rss_mb", rss);
        out.add("all_run_s", new Gson().toJsonTree(times));
        out.addProperty("rounds", rounds.size());
        return out;
    }

    private static void print(Map<String, JsonObject> results, String machine, String refBlas) {
        JsonObject ref = results.get("reference");
        System.out.println();
        System.out.println("Machine: " + machine);
        System.out.println(
                "| engine | sentences/s | latency p50 / p99 (batch 1) | peak RSS | accuracy |"
                        + " sentences/s / ref | p50 / ref (lower is better) | RSS / ref | kernels |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Map.Entry<String, JsonObject> e : results.entrySet()) {
            JsonObject r = e.getValue();
            boolean isRef = "reference".equals(e.getKey());
            System.out.printf(
                    "| %s | %.1f | %.1f / %.1f ms | %.0f MB | %s | %s | %s | %s | %s |%n",
                    e.getKey(),
                    r.get("sentences_per_s").getAsDouble(),
                    r.get("latency_ms_p50").getAsDouble(),
                    r.get("latency_ms_p99").getAsDouble(),
                    r.get("peak_rss_mb").getAsDouble(),
                    r.has("accuracy")
                            ? String.format("%.2f%%", 100 * r.get("accuracy").getAsDouble())
                            : "-",
                    ratio(r, ref, "sentences_per_s", isRef),
                    ratio(r, ref, "latency_ms_p50", isRef),
                    ratio(r, ref, "peak_rss_mb", isRef),
                    isRef ? refBlas : r.get("kernels").getAsString());
        }
        System.out.println();
        System.out.println(
                "Throughput: the whole set in length-sorted batches of 32, median of the timed runs;"
                        + " latency: batch 1 over the first 200 sentences.");
    }

    private static String ratio(JsonObject r, JsonObject ref, String key, boolean isRef) {
        if (ref == null || isRef) {
            return "-";
        }
        return String.format("%.2fx", r.get(key).getAsDouble() / ref.get(key).getAsDouble());
    }

    /** The BLAS / OpenMP libraries torch maps after a matrix product (reference side). */
    private static String referenceBlas() {
        String code =
                "import re, torch\n"
                        + "torch.ones(64, 64) @ torch.ones(64, 64)\n"
                        + "maps = open('/proc/self/maps').read()\n"
                        + "names = set(re.findall(r'/(lib(?:mkl|openblas|blas|blis|iomp|gomp|torch_cpu)"
                        + "[^/\\s]*\\.so[^/\\s]*)', maps))\n"
                        + "print('torch', torch.__version__, ' '.join(sorted(names)))\n";
        try {
            ProcessBuilder pb =
                    new ProcessBuilder("/usr/bin/python3", "-c", code).redirectErrorStream(true);
            pb.environment().remove("LD_PRELOAD"); // as the reference worker runs: no MKL shim
            Process p = pb.start();
            try (BufferedReader r =
                    new BufferedReader(
                            new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String last = null;
                String line;
                while ((line = r.readLine()) != null) {
                    last = line;
                }
                p.waitFor();
                return last == null ? "unknown" : last;
            }
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
