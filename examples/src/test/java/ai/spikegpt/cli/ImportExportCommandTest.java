package ai.spikegpt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.spikegpt.examples.SharedFolder;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.io.Safetensors;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spikegpt import} and {@code export} on the original-format tiny checkpoints. */
class ImportExportCommandTest {

    @TempDir Path dir;

    static Path checkpoint(String precision) {
        return LogitsCommandTest.vectors().resolve("checkpoints/model-" + precision + ".pth");
    }

    /** Runs the CLI; returns {exit status, stdout, stderr}. */
    static Object[] cli(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int status = SpikeGptCli.run(args);
            return new Object[] {
                status, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)
            };
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** The logits that {@code spikegpt logits} prints, flattened. */
    static float[] logits(String weights, String mode) throws Exception {
        Safetensors expected =
                Safetensors.open(LogitsCommandTest.vectors().resolve("expected.safetensors"));
        long[] tokens = expected.longs("tokens");
        StringBuilder ids = new StringBuilder();
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 16; t++) {
                ids.append(t == 0 ? (b == 0 ? "" : ";") : ",").append(tokens[b * 16 + t]);
            }
        }
        String out =
                LogitsCommandTest.run(
                        "logits", "--weights", weights, "--ids", ids.toString(), "--mode", mode);
        List<Float> values = new ArrayList<>();
        for (var seq : JsonParser.parseString(out).getAsJsonObject().getAsJsonArray("sequences")) {
            for (var row : seq.getAsJsonObject().getAsJsonArray("logits")) {
                for (var x : (JsonArray) row) {
                    values.add(x.getAsFloat());
                }
            }
        }
        float[] f = new float[values.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = values.get(i);
        }
        return f;
    }

    static double maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void importedCheckpointsRunInLogitsAndExportBack() throws Exception {
        Safetensors expected =
                Safetensors.open(LogitsCommandTest.vectors().resolve("expected.safetensors"));
        Path trained = dir.resolve("trained");
        Object[] r =
                cli(
                        "import",
                        "--checkpoint",
                        checkpoint("bf16").toString(),
                        "--out",
                        trained.toString());
        assertEquals(0, r[0], (String) r[2]);
        String summary = (String) r[1];
        assertTrue(summary.contains("torch.save zip, 42 tensors (42 BF16)"), summary);
        assertTrue(
                summary.contains(
                        "inferred from the tensors: n_layer 2, n_embd 32, vocab_size 64, ffn_mult 4"),
                summary);
        assertTrue(summary.contains("binary_embedding true, rescale_every 0"), summary);
        assertTrue(ModelDirectory.isModelDirectory(trained));
        assertTrue(
                maxDiff(expected.floats("logits"), logits(trained.toString(), "parallel")) < 1e-2,
                "bf16 import: no spike flips");

        Path quirks = dir.resolve("quirks");
        r =
                cli(
                        "import",
                        "--checkpoint",
                        checkpoint("fp32").toString(),
                        "--out",
                        quirks.toString(),
                        "--binary-embedding",
                        "false",
                        "--rescale-every",
                        "6");
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(
                ((String) r[1]).contains("binary_embedding false, rescale_every 6"), (String) r[1]);
        double d =
                maxDiff(
                        expected.floats("rnn_logits_modelrun"),
                        logits(quirks.toString(), "recurrent"));
        assertTrue(d <= 1e-5, "model_run.py logits: " + d);

        Path export = dir.resolve("out.safetensors");
        r = cli("export", "--model", quirks.toString(), "--out", export.toString());
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(
                ((String) r[1]).contains("42 tensors (float32) under the original names"),
                (String) r[1]);
        Safetensors exported = Safetensors.open(export);
        Safetensors original =
                Safetensors.open(LogitsCommandTest.vectors().resolve("weights.safetensors"));
        for (String name : exported.shapes().keySet()) {
            assertArrayEquals(original.floats(name), exported.floats(name), name);
        }
        JsonObject config =
                JsonParser.parseString(exported.metadata().get("config")).getAsJsonObject();
        assertEquals(12, config.size());
    }

    @Test
    void badInputGetsAClearErrorAndExitStatus2() throws Exception {
        Path out = dir.resolve("m");
        Object[] r =
                cli(
                        "import",
                        "--checkpoint",
                        dir.resolve("missing.pth").toString(),
                        "--out",
                        out.toString());
        assertEquals(2, r[0]);
        assertTrue(((String) r[2]).contains("error: no such checkpoint file"), (String) r[2]);

        Path truncated = dir.resolve("cut.pth");
        byte[] bytes = Files.readAllBytes(checkpoint("fp32"));
        Files.write(truncated, java.util.Arrays.copyOf(bytes, 5000));
        r = cli("import", "--checkpoint", truncated.toString(), "--out", out.toString());
        assertEquals(2, r[0]);
        assertTrue(((String) r[2]).contains("is truncated or damaged"), (String) r[2]);

        r =
                cli(
                        "import",
                        "--checkpoint",
                        checkpoint("fp32").toString(),
                        "--out",
                        out.toString(),
                        "--rescale-every",
                        "-1");
        assertEquals(2, r[0]);
        assertTrue(((String) r[2]).contains("rescale_every = -1"), (String) r[2]);

        Path neox = SharedFolder.locate().resolve("data/tokenizers/20B_tokenizer.json");
        r =
                cli(
                        "import",
                        "--checkpoint",
                        checkpoint("fp32").toString(),
                        "--out",
                        out.toString(),
                        "--tokenizer",
                        neox.toString());
        assertEquals(2, r[0]);
        assertTrue(
                ((String) r[2]).contains("has 50277 tokens but the checkpoint's vocab_size is 64"),
                (String) r[2]);
        assertTrue(!Files.exists(out.resolve(ModelDirectory.WEIGHTS)), "nothing written on error");

        r = cli("import", "--checkpoint", checkpoint("fp32").toString(), "--out", out.toString());
        assertEquals(0, r[0], (String) r[2]);
        r = cli("import", "--checkpoint", checkpoint("fp32").toString(), "--out", out.toString());
        assertEquals(2, r[0]);
        assertTrue(
                ((String) r[2])
                        .contains(out + " exists: choose another --out, or --force to overwrite"),
                (String) r[2]);

        r = cli("logits", "--weights", checkpoint("fp32").toString(), "--ids", "1,2");
        assertEquals(2, r[0]);
        assertTrue(
                ((String) r[2]).contains("is a PyTorch checkpoint: import it first"),
                (String) r[2]);

        r =
                cli(
                        "export",
                        "--model",
                        dir.resolve("nothing").toString(),
                        "--out",
                        dir.resolve("x.safetensors").toString());
        assertEquals(2, r[0]);
        assertTrue(((String) r[2]).contains("no model at"), (String) r[2]);
    }
}
