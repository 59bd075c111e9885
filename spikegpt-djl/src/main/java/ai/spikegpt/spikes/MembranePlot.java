package ai.spikegpt.spikes;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The membrane potential of a few neurons over the tokens, as in the SpikeGPT paper's appendix
 * figure: one panel per neuron. At every token the membrane charges to {@code h[t] = v[t-1] + (x[t]
 * - v[t-1]) / tau} (a dot; recomputed from the recorded input current {@code x}, see {@link
 * SpikeTraces#potential}); where {@code h[t]} reaches the threshold (dashed line) the neuron spikes
 * (a red triangle instead of the dot) and the line drops to the reset potential. The input current
 * is drawn in grey.
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
     * @param neurons the neuron indices to plot (see {@link #pickNeurons})
     * @param tokens the token labels (null: positions)
     * @param file the PNG to write
     * @return the file
     * @throws IOException if writing fails
     */
    public static Path write(
            SpikeTraces traces,
            int layer,
            NeuronSite site,
            int[] neurons,
            List<String> tokens,
            Path file)
            throws IOException {
        Figures.headless();
        if (neurons.length == 0) {
            throw new IllegalArgumentException("choose at least one neuron to plot");
        }
        Trace trace =
                new Trace(
                        traces.potential(layer, site),
                        traces.afterReset(layer, site),
                        traces.current(layer, site),
                        traces.spikes(layer, site),
                        traces.threshold(layer, site),
                        traces.tokens(),
                        traces.width());
        List<XYChart> panels = new ArrayList<>();
        for (int n : neurons) {
            if (n < 0 || n >= traces.width()) {
                throw new IllegalArgumentException(
                        "neuron " + n + " is outside 0.." + (traces.width() - 1));
            }
            panels.add(panel(trace, layer, site, n, tokens));
        }
        return Figures.write(Figures.stack(panels), file);
    }

    /** One neuron layer's recomputed dynamics, row-major {@code [tokens, width]}. */
    private record Trace(
            float[] h, float[] v, float[] x, float[] s, float threshold, int steps, int width) {}

    private static XYChart panel(
            Trace tr, int layer, NeuronSite site, int neuron, List<String> tokens) {
        int steps = tr.steps();
        int w = tr.width();
        double[] t = new double[steps];
        double[] current = new double[steps];
        List<Double> quietT = new ArrayList<>(); // charged without a spike
        List<Double> quietH = new ArrayList<>();
        List<Double> pathT = new ArrayList<>(); // the membrane's path: charge, then the reset drop
        List<Double> pathV = new ArrayList<>();
        List<Double> spikeT = new ArrayList<>();
        List<Double> spikeH = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            int k = i * w + neuron;
            double h = tr.h()[k];
            t[i] = i;
            current[i] = tr.x()[k];
            pathT.add((double) i);
            pathV.add(h);
            if (tr.s()[k] != 0f) {
                spikeT.add((double) i);
                spikeH.add(h);
                pathT.add((double) i);
                pathV.add((double) tr.v()[k]);
            } else {
                quietT.add((double) i);
                quietH.add(h);
            }
        }
        boolean rotated =
                tokens != null
                        && steps <= Figures.MAX_LABELLED_TOKENS
                        && Figures.rotateLabels(tokens, steps, (WIDTH - 320) / steps);
        XYChart chart =
                new XYChartBuilder()
                        .width(WIDTH)
                        .height(PANEL_HEIGHT + (rotated ? 40 : 0))
                        .title(
                                String.format(
                                        Locale.ROOT,
                                        "Block %d %s, neuron %d: %d spike%s in %d tokens",
                                        layer,
                                        site.label(),
                                        neuron,
                                        spikeT.size(),
                                        spikeT.size() == 1 ? "" : "s",
                                        steps))
                        .xAxisTitle(
                                tokens != null && steps <= Figures.MAX_LABELLED_TOKENS
                                        ? "token"
                                        : "token position")
                        .yAxisTitle("potential")
                        .build();
        Figures.style(chart);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisDecimalPattern("0.0#");
        chart.getStyler()
                .setMarkerSize(steps <= Figures.MAX_LABELLED_TOKENS ? 9 : steps <= 200 ? 5 : 3);
        Color colour = site == NeuronSite.LIF1 ? Figures.LIF1 : Figures.LIF2;

        XYSeries in = chart.addSeries("input current x[t]", t, current);
        in.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        in.setMarker(SeriesMarkers.NONE);
        in.setLineColor(new Color(0xB0B0B0));
        in.setLineStyle(new BasicStroke(1.3f));

        XYSeries th =
                chart.addSeries(
                        String.format(Locale.ROOT, "threshold %.2f", tr.threshold()),
                        new double[] {0, Math.max(1, steps - 1)},
                        new double[] {tr.threshold(), tr.threshold()});
        th.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        th.setMarker(SeriesMarkers.NONE);
        th.setLineColor(Color.BLACK);
        th.setLineStyle(SeriesLines.DASH_DASH);

        XYSeries path = chart.addSeries("membrane (reset after a spike)", pathT, pathV);
        path.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        path.setMarker(SeriesMarkers.NONE);
        path.setLineColor(colour);
        path.setLineStyle(new BasicStroke(2f));

        if (!quietT.isEmpty()) {
            XYSeries dots = chart.addSeries("charged h[t]", quietT, quietH);
            dots.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            dots.setMarker(SeriesMarkers.CIRCLE);
            dots.setMarkerColor(colour);
        }

        Figures.tokenAxis(chart, tokens, steps, WIDTH - 320, tr.threshold());
        if (!spikeT.isEmpty()) {
            XYSeries sp = chart.addSeries("spike (h >= threshold)", spikeT, spikeH);
            sp.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            sp.setMarker(SeriesMarkers.TRIANGLE_UP);
            sp.setMarkerColor(Figures.SPIKE);
        }
        return chart;
    }

    /**
     * Picks neurons worth plotting, across the range of activity: among the neurons that fired,
     * evenly spaced ranks from the most to the least active; if fewer than {@code count} fired, the
     * silent ones that came closest to the threshold.
     *
     * @param traces the traces
     * @param layer a traced block
     * @param site {@link NeuronSite#LIF1} or {@link NeuronSite#LIF2}
     * @param count how many
     * @return the neuron indices, most active first
     */
    public static int[] pickNeurons(SpikeTraces traces, int layer, NeuronSite site, int count) {
        int width = traces.width();
        int steps = traces.tokens();
        float[] s = traces.spikes(layer, site);
        float[] h = traces.potential(layer, site);
        long[] fired = new long[width];
        float[] peak = new float[width];
        Arrays.fill(peak, Float.NEGATIVE_INFINITY);
        for (int t = 0; t < steps; t++) {
            for (int c = 0; c < width; c++) {
                fired[c] += (long) s[t * width + c];
                peak[c] = Math.max(peak[c], h[t * width + c]);
            }
        }
        Integer[] order = new Integer[width];
        for (int c = 0; c < width; c++) {
            order[c] = c;
        }
        Arrays.sort(
                order,
                (a, b) ->
                        fired[a] != fired[b]
                                ? Long.compare(fired[b], fired[a])
                                : peak[a] != peak[b]
                                        ? Float.compare(peak[b], peak[a])
                                        : Integer.compare(a, b));
        int active = (int) Arrays.stream(fired).filter(f -> f > 0).count();
        int n = Math.min(count, width);
        int[] out = new int[n];
        int fromActive = Math.min(n, active);
        for (int i = 0; i < fromActive; i++) {
            int rank =
                    fromActive == 1
                            ? 0
                            : (int) Math.round(i * (active - 1) / (double) (fromActive - 1));
            out[i] = order[rank];
        }
        for (int i = fromActive; i < n; i++) {
            out[i] = order[active + i - fromActive];
        }
        return out;
    }
}
