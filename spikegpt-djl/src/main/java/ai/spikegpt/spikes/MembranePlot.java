package ai.spikegpt.spikes;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The membrane potential of a few neurons over the tokens, as in the SpikeGPT paper's appendix
 * figure: one panel per neuron with the potential {@code h[t]} that is compared with the threshold
 * (recomputed from the recorded input currents, see {@link SpikeTraces#potential}), the input
 * current, the threshold as a dashed line, and a marker at every spike ({@code h[t] >= v_th},
 * after which a hard reset returns the membrane to {@code v_reset}).
 */
public final class MembranePlot {

    private static final int WIDTH = 1400;
    private static final int PANEL_HEIGHT = 300;

    private MembranePlot() {}

    /**
     * Writes the membrane plot of one neuron layer.
     *
     * @param traces the monitor's traces
     * @param layer a traced block
     * @param site {@link NeuronSite#LIF1} or {@link NeuronSite#LIF2}
     * @param neurons the neuron indices to plot (see {@link #mostActive})
     * @param tokens the token labels (null: positions)
     * @param file the PNG to write
     * @return the file
     * @throws IOException if writing fails
     */
    public static Path write(
            SpikeTraces traces, int layer, NeuronSite site, int[] neurons, List<String> tokens, Path file)
            throws IOException {
        Figures.headless();
        if (neurons.length == 0) {
            throw new IllegalArgumentException("choose at least one neuron to plot");
        }
        float[] h = traces.potential(layer, site);
        float[] x = traces.current(layer, site);
        float[] s = traces.spikes(layer, site);
        float threshold = traces.threshold(layer, site);
        List<XYChart> panels = new ArrayList<>();
        for (int n : neurons) {
            if (n < 0 || n >= traces.width()) {
                throw new IllegalArgumentException("neuron " + n + " is outside 0.." + (traces.width() - 1));
            }
            panels.add(panel(traces, layer, site, n, h, x, s, threshold, tokens));
        }
        return Figures.write(Figures.stack(panels), file);
    }

    private static XYChart panel(SpikeTraces traces, int layer, NeuronSite site, int neuron, float[] h, float[] x,
            float[] s, float threshold, List<String> tokens) {
        int steps = traces.tokens();
        int width = traces.width();
        double[] t = new double[steps];
        double[] potential = new double[steps];
        double[] current = new double[steps];
        List<Double> spikeT = new ArrayList<>();
        List<Double> spikeH = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            t[i] = i;
            potential[i] = h[i * width + neuron];
            current[i] = x[i * width + neuron];
            if (s[i * width + neuron] != 0f) {
                spikeT.add((double) i);
                spikeH.add(potential[i]);
            }
        }
        boolean rotated = tokens != null && steps <= Figures.MAX_LABELLED_TOKENS && steps > 24;
        XYChart chart =
                new XYChartBuilder()
                        .width(WIDTH)
                        .height(PANEL_HEIGHT + (rotated ? 40 : 0))
                        .title(String.format(Locale.ROOT, "Block %d %s, neuron %d: %d spike%s in %d tokens",
                                layer, site.label(), neuron, spikeT.size(), spikeT.size() == 1 ? "" : "s", steps))
                        .xAxisTitle("token")
                        .yAxisTitle("potential")
                        .build();
        Figures.style(chart);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisDecimalPattern("0.0#");
        Figures.tokenAxis(chart.getStyler(), tokens, steps, WIDTH - 320);

        XYSeries in = chart.addSeries("input current x[t]", t, current);
        in.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        in.setMarker(SeriesMarkers.NONE);
        in.setLineColor(new Color(0xAAAAAA));
        in.setLineStyle(new BasicStroke(1.2f));

        XYSeries mem = chart.addSeries("membrane h[t]", t, potential);
        mem.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        mem.setMarker(SeriesMarkers.CIRCLE);
        mem.setMarkerColor(site == NeuronSite.LIF1 ? Figures.LIF1 : Figures.LIF2);
        mem.setLineColor(site == NeuronSite.LIF1 ? Figures.LIF1 : Figures.LIF2);
        mem.setLineStyle(new BasicStroke(2f));

        XYSeries th = chart.addSeries(String.format(Locale.ROOT, "threshold %.2f", threshold),
                new double[] {-0.5, steps - 0.5}, new double[] {threshold, threshold});
        th.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        th.setMarker(SeriesMarkers.NONE);
        th.setLineColor(Color.BLACK);
        th.setLineStyle(SeriesLines.DASH_DASH);

        if (!spikeT.isEmpty()) {
            XYSeries sp = chart.addSeries("spike", spikeT, spikeH);
            sp.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            sp.setMarker(SeriesMarkers.TRIANGLE_UP);
            sp.setMarkerColor(Figures.SPIKE);
        }
        chart.getStyler().setMarkerSize(7);
        return chart;
    }

    /**
     * Picks neurons worth plotting: the most frequently firing ones; if fewer than {@code count}
     * fire, then those that came closest to the threshold.
     *
     * @param traces the traces
     * @param layer a traced block
     * @param site {@link NeuronSite#LIF1} or {@link NeuronSite#LIF2}
     * @param count how many
     * @return the neuron indices, most active first
     */
    public static int[] mostActive(SpikeTraces traces, int layer, NeuronSite site, int count) {
        int width = traces.width();
        int steps = traces.tokens();
        float[] s = traces.spikes(layer, site);
        float[] h = traces.potential(layer, site);
        long[] fired = new long[width];
        float[] peak = new float[width];
        java.util.Arrays.fill(peak, Float.NEGATIVE_INFINITY);
        for (int t = 0; t < steps; t++) {
            for (int c = 0; c < width; c++) {
                fired[c] += (long) s[t * width + c];
                peak[c] = Math.max(peak[c], h[t * width + c]);
            }
        }
        Comparator<Integer> order =
                Comparator.<Integer>comparingLong(c -> -fired[c]).thenComparingDouble(c -> -peak[c]).thenComparingInt(c -> c);
        List<Integer> sorted = IntStream.range(0, width).boxed().sorted(order).collect(Collectors.toList());
        return sorted.subList(0, Math.min(count, width)).stream().mapToInt(Integer::intValue).toArray();
    }
}
