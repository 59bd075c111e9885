package ai.spikegpt.training;

import ai.spikegpt.files.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

/**
 * The curves of a language-model training run: one {@link Row} per logging interval (training loss
 * and bits per character, learning rate, gradient norm, throughput, spike rate) and per validation
 * (validation bits per character), written as CSV and plotted as PNG.
 */
public final class TrainingLog {

    /** The CSV header. */
    static final String HEADER =
            "step,tokens,lr,train_loss,train_bpc,val_bpc,grad_norm,tokens_per_s,spike_rate";

    /**
     * One logged point; {@code NaN} where a value was not measured at this step.
     *
     * @param step the optimizer step
     * @param tokens the training tokens seen
     * @param lr the learning rate
     * @param trainLoss the mean training loss (nats per token) since the last row
     * @param trainBpc the training bits per character
     * @param valBpc the validation bits per character
     * @param gradNorm the gradient norm before clipping
     * @param tokensPerSecond the training throughput
     * @param spikeRate the mean firing rate of all LIF layers
     */
    public record Row(
            long step,
            long tokens,
            double lr,
            double trainLoss,
            double trainBpc,
            double valBpc,
            double gradNorm,
            double tokensPerSecond,
            double spikeRate) {

        String csv() {
            return String.format(
                    Locale.ROOT,
                    "%d,%d,%s,%s,%s,%s,%s,%s,%s",
                    step,
                    tokens,
                    num(lr),
                    num(trainLoss),
                    num(trainBpc),
                    num(valBpc),
                    num(gradNorm),
                    num(tokensPerSecond),
                    num(spikeRate));
        }

        static Row parse(String line) {
            String[] f = line.split(",", -1);
            return new Row(
                    Long.parseLong(f[0]),
                    Long.parseLong(f[1]),
                    d(f[2]),
                    d(f[3]),
                    d(f[4]),
                    d(f[5]),
                    d(f[6]),
                    d(f[7]),
                    d(f[8]));
        }

        private static String num(double v) {
            return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
        }

        private static double d(String s) {
            return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
        }
    }

    private final List<Row> rows = new ArrayList<>();

    /**
     * Adds a row.
     *
     * @param row the row
     */
    public void add(Row row) {
        rows.add(row);
    }

    /**
     * @return the rows so far
     */
    public List<Row> rows() {
        return List.copyOf(rows);
    }

    /**
     * Keeps only the rows up to a step (when resuming from an earlier checkpoint).
     *
     * @param step the last step to keep
     */
    public void truncate(long step) {
        rows.removeIf(r -> r.step() > step);
    }

    /**
     * @return the last validation bits per character, or NaN
     */
    public double lastValidationBpc() {
        for (int i = rows.size() - 1; i >= 0; i--) {
            if (!Double.isNaN(rows.get(i).valBpc())) {
                return rows.get(i).valBpc();
            }
        }
        return Double.NaN;
    }

    /**
     * Writes the rows as CSV.
     *
     * @param file the file
     * @throws IOException if writing fails
     */
    public void save(Path file) throws IOException {
        StringBuilder csv = new StringBuilder(HEADER + "\n");
        for (Row r : rows) {
            csv.append(r.csv()).append('\n');
        }
        AtomicFiles.writeString(file, csv);
    }

    /**
     * Reads a CSV written by {@link #save}.
     *
     * @param file the file
     * @return the log
     * @throws IOException if reading fails
     */
    public static TrainingLog load(Path file) throws IOException {
        TrainingLog log = new TrainingLog();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                log.add(Row.parse(line));
            }
        }
        return log;
    }

    /**
     * Plots training and validation bits per character against training tokens.
     *
     * @param file the PNG file
     * @param title the chart title
     * @throws IOException if writing fails
     */
    public void plot(Path file, String title) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart =
                new XYChartBuilder()
                        .width(900)
                        .height(560)
                        .title(title)
                        .xAxisTitle("training tokens (millions)")
                        .yAxisTitle("bits per character")
                        .build();
        chart.getStyler().setMarkerSize(6);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        addSeries(
                chart,
                "train",
                rows.stream().filter(r -> !Double.isNaN(r.trainBpc())).toList(),
                true,
                new Color(70, 110, 200));
        addSeries(
                chart,
                "validation",
                rows.stream().filter(r -> !Double.isNaN(r.valBpc())).toList(),
                false,
                new Color(220, 90, 40));
        AtomicFiles.write(
                file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }

    private static void addSeries(
            XYChart chart, String name, List<Row> data, boolean train, Color color) {
        if (data.isEmpty()) {
            return;
        }
        double[] x = data.stream().mapToDouble(r -> r.tokens() / 1e6).toArray();
        double[] y = data.stream().mapToDouble(r -> train ? r.trainBpc() : r.valBpc()).toArray();
        XYSeries series = chart.addSeries(name, x, y);
        series.setLineColor(color);
        series.setMarkerColor(color);
        series.setLineStyle(new BasicStroke(train ? 1.5f : 2.5f));
        series.setMarker(
                train
                        ? org.knowm.xchart.style.markers.SeriesMarkers.NONE
                        : org.knowm.xchart.style.markers.SeriesMarkers.CIRCLE);
    }
}
