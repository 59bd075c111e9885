package ai.spikegpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.io.ModelIO;
import ai.spikegpt.model.SpikeGptModel;
import ai.spikegpt.tokenizer.CharTokenizer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spikegpt spikes} on a model directory made from the tiny reference weights (vocabulary 64:
 * a character tokenizer over the 64 code points from ' ' to '_'): the table, the ratios and the
 * PNGs, and clear errors.
 */
class SpikesCommandTest {

    static Path modelDirectory(Path dir) throws Exception {
        StringBuilder chars = new StringBuilder();
        for (char c = ' '; c <= '_'; c++) {
            chars.append(c);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            SpikeGptModel model =
                    ModelIO.loadLanguageModel(
                            LogitsCommandTest.vectors().resolve("weights.safetensors"),
                            null,
                            manager);
            ModelDirectory.save(
                    dir,
                    model,
                    model.getConfig(),
                    CharTokenizer.fit(chars.toString()),
                    DataType.FLOAT32,
                    null);
        }
        return dir;
    }

    @Test
    void printsTheTableAndWritesThePlots(@TempDir Path tmp) throws Exception {
        Path model = modelDirectory(tmp.resolve("tiny"));
        Path out = tmp.resolve("plots");
        String printed =
                LogitsCommandTest.run(
                        "spikes",
                        "--model",
                        model.toString(),
                        "--text",
                        "HELLO, SPIKING WORLD!",
                        "--out",
                        out.toString(),
                        "--layers",
                        "1",
                        "--neurons",
                        "3",
                        "--detail");
        for (String expected :
                List.of(
                        "| emb (binary) |",
                        "| 0 |",
                        "| 1 |",
                        "| head |",
                        "| **total** |",
                        "| 0 | att.key | spike counts |",
                        "| 0 | att.output | real |",
                        "tokens: 21 in 1 sequence(s)",
                        "ANN / spiking energy, every counted operation:",
                        "linear layers only (paper's method):",
                        "raster.png",
                        "membrane-block1-lif1.png")) {
            assertTrue(printed.contains(expected), "output has '" + expected + "':\n" + printed);
        }
        for (String name :
                List.of(
                        "raster.png",
                        "membrane-block1-lif1.png",
                        "membrane-block1-lif2.png",
                        "firing-rates.png")) {
            BufferedImage image = ImageIO.read(out.resolve(name).toFile());
            assertTrue(image != null && image.getWidth() >= 800, name);
        }
        assertTrue(
                !Files.exists(out.resolve("membrane-block0-lif1.png")),
                "only the chosen block is plotted");
        assertEquals(
                3 * 300,
                ImageIO.read(out.resolve("membrane-block1-lif1.png").toFile()).getHeight(),
                "one panel per neuron");
    }

    @Test
    void badInputGetsAClearErrorAndExitStatus2(@TempDir Path tmp) throws Exception {
        Path model = modelDirectory(tmp.resolve("tiny"));
        String dir = model.toString();
        assertEquals(
                "error: --layers: the model has blocks 0..1, not 2",
                error("spikes", "--model", dir, "--text", "HI", "--layers", "2"));
        assertTrue(
                error("spikes", "--model", dir, "--text", "hi")
                        .contains("is not in this model's vocabulary"));
        assertTrue(error("spikes", "--model", dir, "--text", "").contains("--text is empty"));
        assertTrue(
                error("spikes", "--model", tmp.resolve("none").toString(), "--text", "HI")
                        .contains("no model at"));
        assertTrue(
                error("spikes", "--model", dir, "--text", "HI", "--e-mac", "-1")
                        .contains("E_MAC must be"));
    }

    private static String error(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            assertEquals(2, SpikeGptCli.run(args), "exit status of " + String.join(" ", args));
        } finally {
            System.setErr(old);
        }
        String[] lines = buffer.toString(StandardCharsets.UTF_8).trim().split("\n");
        return lines[lines.length - 1].trim();
    }
}
