package ai.spikegpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.spikegpt.io.Safetensors;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** {@code spikegpt logits} against the reference vectors, in both forms. */
class LogitsCommandTest {

    static Path vectors() {
        // the reference's tiny vectors, committed with the library's tests
        return Paths.get(
                "..", "spikegpt-djl", "src", "test", "resources", "reference-vectors", "tiny");
    }

    /** Runs the command line, checks that it succeeded and returns what it printed. */
    static String run(String... args) {
        Object[] r = ImportExportCommandTest.cli(args);
        assertEquals(0, r[0], "exit status; stderr: " + r[2]);
        return (String) r[1];
    }

    @Test
    void printsTheReferenceLogitsInBothModes() throws Exception {
        Safetensors expected = Safetensors.open(vectors().resolve("expected.safetensors"));
        long[] tokens = expected.longs("tokens"); // [2, 16]
        float[] logits = expected.floats("logits"); // [2, 16, 64]
        StringBuilder ids = new StringBuilder();
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 16; t++) {
                ids.append(t == 0 ? (b == 0 ? "" : ";") : ",").append(tokens[b * 16 + t]);
            }
        }
        for (String mode : new String[] {"parallel", "recurrent"}) {
            String out =
                    run(
                            "logits",
                            "--weights",
                            vectors().resolve("weights.safetensors").toString(),
                            "--ids",
                            ids.toString(),
                            "--mode",
                            mode);
            JsonObject json = JsonParser.parseString(out).getAsJsonObject();
            assertEquals(mode, json.get("mode").getAsString());
            JsonArray sequences = json.getAsJsonArray("sequences");
            assertEquals(2, sequences.size());
            double worst = 0;
            for (int b = 0; b < 2; b++) {
                JsonArray rows = sequences.get(b).getAsJsonObject().getAsJsonArray("logits");
                for (int t = 0; t < 16; t++) {
                    JsonArray row = rows.get(t).getAsJsonArray();
                    for (int v = 0; v < 64; v++) {
                        worst =
                                Math.max(
                                        worst,
                                        Math.abs(
                                                row.get(v).getAsFloat()
                                                        - logits[(b * 16 + t) * 64 + v]));
                    }
                }
            }
            assertTrue(worst <= 1e-5, mode + ": max |diff| " + worst);
        }
    }

    @Test
    void badInputGetsAClearErrorAndExitStatus2() {
        String weights = vectors().resolve("weights.safetensors").toString();
        assertEquals(2, SpikeGptCli.run("logits", "--weights", weights, "--ids", "1,2,x"));
        assertEquals(2, SpikeGptCli.run("logits", "--weights", weights, "--ids", "1,2;"));
        assertEquals(2, SpikeGptCli.run("logits", "--weights", weights, "--ids", "1,64"));
        assertEquals(
                2,
                SpikeGptCli.run("logits", "--weights", "/nonexistent.safetensors", "--ids", "1"));
    }
}
