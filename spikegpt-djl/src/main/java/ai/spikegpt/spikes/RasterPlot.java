package ai.spikegpt.spikes;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A spike raster: one panel per traced block and neuron ({@code lif1}, {@code lif2}), a mark at
 * (token, neuron) for every spike, the tokens on the x axis. Wide models are cut to their first
 * {@code maxNeurons} channels (the panel title says so).
 */
public final class RasterPlot {

    private static final int WIDTH = 1400;

    private RasterPlot() {}

    /**
     * Writes the raster of every traced block.
     *
     * @param traces the monitor's traces
     * @param tokens the token strings of the traced positions (null: positions), see {@link
     *     #labels}
     * @param maxNeurons the most channels to show per panel
     * @param file the PNG to write
     * @return the file
     * @throws IOException if writing fails
     */
    public static Path write(SpikeTraces traces, List<String> tokens, int maxNeurons, Path file) throws IOException {
        Figures.headless();
        if (traces.layers().isEmpty() || traces.tokens() == 0) {
            throw new IllegalArgumentException("no traces to plot: build the monitor with optTraceLayers and run it");
        }
        List<XYChart> panels = new ArrayList<>();
        for (int layer : traces.layers()) {
            for (NeuronSite site : new NeuronSite[] {NeuronSite.LIF1, NeuronSite.LIF2}) {
                panels.add(panel(traces, layer, site, tokens, maxNeurons));
            }
        }
        return Figures.write(Figures.stack(panels), file);
    }

    private static XYChart panel(SpikeTraces traces, int layer, NeuronSite site, List<String> tokens, int maxNeurons) {
        int steps = traces.tokens();
        int width = traces.width();
        int shown = Math.min(width, Math.max(1, maxNeurons));
        float[] spikes = traces.spikes(layer, site);
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        long total = 0;
        for (int t = 0; t < steps; t++) {
            for (int c = 0; c < width; c++) {
                if (spikes[t * width + c] != 0f) {
                    total++;
                    if (c < shown) {
                        xs.add((double) t);
                        ys.add((double) c);
                    }
                }
            }
        }
        int height = Math.max(260, Math.min(520, 140 + 3 * shown));
        boolean rotated = tokens != null && steps <= Figures.MAX_LABELLED_TOKENS && steps > 24;
        XYChart chart =
                new XYChartBuilder()
                        .width(WIDTH)
                        .height(height + (rotated ? 40 : 0))
                        .title(String.format(Locale.ROOT, "Block %d %s (%s): %d spikes, rate %.1f%% over %d tokens x %d neurons%s",
                                layer, site.label(), site == NeuronSite.LIF1 ? "after time mix" : "after channel mix",
                                total, 100.0 * total / ((double) steps * width), steps, width,
                                shown < width ? String.format(Locale.ROOT, " (channels 0-%d shown)", shown - 1) : ""))
                        .xAxisTitle("token")
                        .yAxisTitle("neuron (channel)")
                        .build();
        Figures.style(chart);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisMin(-0.5);
        chart.getStyler().setYAxisMax(shown - 0.5);
        chart.getStyler().setYAxisDecimalPattern("0");
        Figures.tokenAxis(chart.getStyler(), tokens, steps, WIDTH - 120);
        if (xs.isEmpty()) {
            xs.add(-10.0); // XChart needs a point; keep it off the axes
            ys.add(-10.0);
        }
        XYSeries s = chart.addSeries("spikes", xs, ys);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.SQUARE);
        s.setMarkerColor(site == NeuronSite.LIF1 ? Figures.LIF1 : Figures.LIF2);
        int cellWidth = (WIDTH - 120) / Math.max(1, steps);
        int cellHeight = (height - 140) / shown;
        chart.getStyler().setMarkerSize(Math.max(2, Math.min(10, Math.min(cellWidth, cellHeight))));
        chart.getStyler().setPlotBorderColor(Color.GRAY);
        return chart;
    }

    /**
     * Turns decoded tokens into axis labels (whitespace made visible, long tokens cut).
     *
     * @param tokens the decoded tokens
     * @return the labels
     */
    public static List<String> labels(List<String> tokens) {
        List<String> out = new ArrayList<>();
        for (String t : tokens) {
            out.add(Figures.visible(t));
        }
        return out;
    }
}
