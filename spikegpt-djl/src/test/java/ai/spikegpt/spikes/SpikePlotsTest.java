package ai.spikegpt.spikes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.spikegpt.ReferenceVectors;
import ai.spikegpt.io.ModelIO;
import ai.spikegpt.model.SpikeGptModel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PNG plots are written, are images of the expected layout, and show the traced spikes. */
class SpikePlotsTest {

    @Test
    void writesRasterMembraneAndRatePlots(@TempDir Path dir) throws IOException {
        ReferenceVectors v = ReferenceVectors.load("tiny");
        try (NDManager manager = NDManager.newBaseManager()) {
            SpikeGptModel model = ModelIO.loadLanguageModel(v.weightsFile(), null, manager);
            NDArray tokens = v.array(manager, "tokens");
            SpikeMonitor monitor = SpikeMonitor.builder(model).optTraceLayers(0, 1).build();
            model.forward(new ParameterStore(manager, false), tokens, null, false, monitor);
            SpikeTraces traces = monitor.traces();
            List<String> labels = new ArrayList<>();
            for (long id : v.expected.longs("tokens")) {
                labels.add(id == 32 ? " " : Character.toString((char) ('a' + id % 26)));
                if (labels.size() == traces.tokens()) {
                    break;
                }
            }
            BufferedImage raster =
                    ImageIO.read(
                            RasterPlot.write(
                                            traces,
                                            RasterPlot.labels(labels),
                                            128,
                                            dir.resolve("raster.png"))
                                    .toFile());
            assertEquals(1400, raster.getWidth());
            assertTrue(raster.getHeight() >= 4 * 260, "four panels: 2 blocks x (lif1, lif2)");

            int[] neurons = MembranePlot.pickNeurons(traces, 1, NeuronSite.LIF2, 3);
            assertEquals(3, neurons.length);
            float[] s = traces.spikes(1, NeuronSite.LIF2);
            long[] fired = new long[traces.width()];
            for (int i = 0; i < s.length; i++) {
                fired[i % traces.width()] += (long) s[i];
            }
            long best = java.util.Arrays.stream(fired).max().orElse(0);
            assertEquals(best, fired[neurons[0]], "the most active neuron comes first");
            assertTrue(
                    fired[neurons[0]] >= fired[neurons[1]]
                            && fired[neurons[1]] >= fired[neurons[2]]);
            BufferedImage membrane =
                    ImageIO.read(
                            MembranePlot.write(
                                            traces,
                                            1,
                                            NeuronSite.LIF2,
                                            neurons,
                                            labels,
                                            dir.resolve("membrane.png"))
                                    .toFile());
            assertEquals(3 * 300, membrane.getHeight(), "one panel per neuron");

            BufferedImage rates =
                    ImageIO.read(
                            FiringRatePlot.write(monitor.statistics(), dir.resolve("rates.png"))
                                    .toFile());
            assertTrue(rates.getWidth() >= 800 && rates.getHeight() == 560);
            assertThrows(
                    IllegalArgumentException.class,
                    () ->
                            MembranePlot.write(
                                    traces,
                                    1,
                                    NeuronSite.LIF2,
                                    new int[] {99},
                                    null,
                                    dir.resolve("x.png")));
        }
    }

    @Test
    void tokensAreMadeVisible() {
        assertEquals(
                List.of("\u2423a", "\u21B5", "\u2205", "abcdefghijk\u2026"),
                RasterPlot.labels(List.of(" a", "\n", "", "abcdefghijklmnop")));
        assertArrayEquals(new Object[] {"\\x01"}, RasterPlot.labels(List.of("\u0001")).toArray());
    }
}
