package ai.spikegpt.spikes;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler;

/**
 * The firing rate of every block's neurons as a bar chart: {@code lif1} (after the time mix) beside
 * {@code lif2} (after the channel mix), and SpikeGPT-B's hidden neurons; the binary embedding's
 * rate is in the title.
 */
public final class FiringRatePlot {

    private FiringRatePlot() {}

    /**
     * Writes the chart.
     *
     * @param stats what a monitor counted
     * @param file the PNG to write
     * @return the file
     * @throws IOException if writing fails
     */
    public static Path write(SpikeStatistics stats, Path file) throws IOException {
        Figures.headless();
        int layers = stats.config().getLayers();
        if (stats.firing().isEmpty() || stats.positions() == 0) {
            throw new IllegalArgumentException(
                    "no firing rates to plot: the model has no spikes or nothing was run");
        }
        List<String> categories = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            categories.add(Integer.toString(i));
        }
        FiringStats emb = stats.firing(NeuronSite.EMBEDDING, -1);
        String title =
                String.format(
                        Locale.ROOT,
                        "Firing rate by block (%d tokens)%s",
                        stats.positions(),
                        emb == null
                                ? ""
                                : String.format(
                                        Locale.ROOT,
                                        "; binary embedding %.1f%%",
                                        100 * emb.rate()));
        CategoryChart chart =
                new CategoryChartBuilder()
                        .width(Math.max(800, Math.min(1600, 200 + 70 * layers)))
                        .height(560)
                        .title(title)
                        .xAxisTitle("block")
                        .yAxisTitle("firing rate (%)")
                        .build();
        Figures.style(chart);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisDecimalPattern("0.0");
        chart.getStyler().setAvailableSpaceFill(0.8);
        chart.getStyler().setLabelsVisible(layers <= 12);
        chart.getStyler()
                .setLabelsFont(
                        new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 11));
        chart.getStyler().setLabelsFontColorAutomaticEnabled(true);
        chart.getStyler().setLabelsPosition(0.96);
        chart.getStyler().setLabelsRotation(0);
        double max = 0;
        Object[][] series = {
            {NeuronSite.LIF1, "lif1 (after time mix)", Figures.LIF1},
            {NeuronSite.FFN_HIDDEN, "ffn hidden (SpikeGPT-B)", Figures.HIDDEN},
            {NeuronSite.LIF2, "lif2 (after channel mix)", Figures.LIF2}
        };
        for (Object[] s : series) {
            NeuronSite site = (NeuronSite) s[0];
            if (stats.firing(site, 0) == null) {
                continue;
            }
            List<Double> rates = new ArrayList<>();
            for (int i = 0; i < layers; i++) {
                double r = 100 * stats.firing(site, i).rate();
                rates.add(r);
                max = Math.max(max, r);
            }
            CategorySeries cs = chart.addSeries((String) s[1], categories, rates);
            cs.setFillColor((java.awt.Color) s[2]);
        }
        chart.getStyler().setYAxisMax(Math.max(1.0, max * 1.25));
        return Figures.write(Figures.stack(List.of(chart)), file);
    }
}
