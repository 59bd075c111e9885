package ai.spikegpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.io.SafetensorsReader;
import ai.spikegpt.model.SpikeGptClassifier;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark workers of the pure-Java engine never load the native engine: each runs in a
 * process of its own (as {@code bench} starts it) and reports the native math libraries it mapped
 * ({@code /proc/self/maps}), which must be none, neither libtorch nor its BLAS or OpenMP.
 */
class JavaEngineWorkersTest {

    /** Runs the CLI in a new JVM with this test's class path; returns its RESULT line. */
    private static JsonObject worker(Path tmp, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
        cmd.add(SpikeGptCli.class.getName());
        cmd.addAll(List.of(args));
        Path err = tmp.resolve("stderr.txt");
        Process p =
                new ProcessBuilder(cmd)
                        .redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.PIPE)
                        .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out + Files.readString(err));
        String line = out.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElse(null);
        assertNotNull(line, out);
        return JsonParser.parseString(line.substring(7)).getAsJsonObject();
    }

    @Test
    void rnnWorkerRunsTheSavedInitialWeightsWithoutNativeLibraries(@TempDir Path tmp)
            throws Exception {
        Path weights = tmp.resolve("A");
        worker(tmp, "bench-worker", "--only", "A", "--mode", "rnn", "--save-weights", "" + weights);
        JsonObject r =
                worker(
                        tmp,
                        "bench-worker",
                        "--only",
                        "A",
                        "--mode",
                        "rnn",
                        "--engine",
                        "java",
                        "--model-dir",
                        weights.toString(),
                        "--runs",
                        "1",
                        "--warmup",
                        "0",
                        "--max-foreign",
                        "1000");
        assertEquals("none", r.get("native_libraries").getAsString());
        assertEquals("java fp32", r.get("engine").getAsString());
        assertTrue(r.get("tokens_per_s").getAsDouble() > 0, r.toString());
        // saved as the DJL worker holds them (fp32), and all of config A's parameters: 6 layers
        // of C = 256 (FFN 4C), vocabulary 256
        try (SafetensorsReader saved =
                SafetensorsReader.open(weights.resolve(ModelDirectory.WEIGHTS))) {
            assertEquals("F32", saved.dtype("blocks.5.att.key.weight"));
        }
        long c = 256;
        long layer =
                4 * c // ln1, ln2
                        + 5 * c // time_decay, time_first, three time mixes
                        + 4 * c * c // key, value, receptance, output
                        + 2 * c // the channel mix's two time mixes
                        + 2 * (4 * c) * c // FFN key and value
                        + c * c; // FFN receptance
        long expected = 2 * 256 * c + 2 * c + 6 * layer + 2 * c; // emb, head; ln0; ln_out
        assertEquals(expected, r.get("params").getAsLong());
    }

    @Test
    void classifyWorkerRunsWithoutNativeLibraries(@TempDir Path tmp) throws Exception {
        Path lm = SpikesCommandTest.modelDirectory(tmp.resolve("lm"));
        Path classifier = tmp.resolve("classifier");
        try (NDManager manager = NDManager.newBaseManager()) {
            SpikeGptClassifier c =
                    ModelDirectory.newClassifier(lm, List.of("bad", "good"), manager);
            ModelDirectory.save(classifier, c, c.getConfig(), null, DataType.FLOAT16, null);
        }
        Path ids = Files.writeString(tmp.resolve("ids.txt"), "0 33 34 35\n1 40 41\n1 7\n");
        JsonObject r =
                worker(
                        tmp,
                        "bench-classify-worker",
                        "--model",
                        classifier.toString(),
                        "--ids",
                        ids.toString(),
                        "--engine",
                        "java",
                        "--runs",
                        "1",
                        "--warmup",
                        "0",
                        "--latency-n",
                        "3",
                        "--max-foreign",
                        "1000");
        assertEquals("none", r.get("native_libraries").getAsString());
        assertEquals(3, r.get("sentences").getAsInt());
        assertTrue(r.get("latency_ms_p50").getAsDouble() > 0, r.toString());
    }
}
