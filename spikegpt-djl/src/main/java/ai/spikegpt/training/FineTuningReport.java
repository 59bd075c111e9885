package ai.spikegpt.training;

import ai.spikegpt.files.AtomicFiles;
import ai.spikegpt.training.ClassifierTrainer.Epoch;
import ai.spikegpt.training.ClassifierTrainer.Summary;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * What a fine-tuning run leaves beside its model, for a person to read: the epochs as CSV, the
 * summary as JSON and the accuracy curves as a PNG ({@link TrainingLog} does the same for language
 * models).
 */
public final class FineTuningReport {

    private FineTuningReport() {}

    /**
     * Writes {@code log.csv} (one row an epoch), {@code summary.json} and {@code accuracy.png}
     * (training and dev accuracy by epoch) into a folder, each atomically.
     *
     * @param summary the run
     * @param dir the folder
     * @throws IOException if a file cannot be written
     */
    public static void write(Summary summary, Path dir) throws IOException {
        StringBuilder csv =
                new StringBuilder(
                        "epoch,train_loss,train_accuracy,dev_loss,dev_accuracy,spike_rate,seconds\n");
        for (Epoch e : summary.epochs()) {
            csv.append(
                    String.format(
                            Locale.ROOT,
                            "%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.1f%n",
                            e.epoch(),
                            e.trainLoss(),
                            e.trainAccuracy(),
                            e.devLoss(),
                            e.devAccuracy(),
                            e.spikeRate(),
                            e.seconds()));
        }
        AtomicFiles.writeString(dir.resolve("log.csv"), csv);
        Gson gson =
                new GsonBuilder()
                        .setPrettyPrinting()
                        .serializeSpecialFloatingPointValues()
                        .create();
        AtomicFiles.writeString(dir.resolve("summary.json"), gson.toJson(summary) + "\n");

        XYChart chart =
                new XYChartBuilder()
                        .width(800)
                        .height(500)
                        .title(
                                String.format(
                                        Locale.ROOT,
                                        "Fine-tuning: best dev accuracy %.2f%% (epoch %d)",
                                        100 * summary.bestDevAccuracy(),
                                        summary.bestEpoch()))
                        .xAxisTitle("epoch")
                        .yAxisTitle("accuracy (%)")
                        .build();
        double[] x = summary.epochs().stream().mapToDouble(Epoch::epoch).toArray();
        chart.addSeries(
                        "train (dropout on)",
                        x,
                        summary.epochs().stream()
                                .mapToDouble(e -> 100 * e.trainAccuracy())
                                .toArray())
                .setLineColor(Color.GRAY);
        chart.addSeries(
                        "dev",
                        x,
                        summary.epochs().stream().mapToDouble(e -> 100 * e.devAccuracy()).toArray())
                .setLineColor(new Color(0xD6, 0x27, 0x28))
                .setLineStyle(new BasicStroke(2f));
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        AtomicFiles.write(
                dir.resolve("accuracy.png"),
                BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }
}
