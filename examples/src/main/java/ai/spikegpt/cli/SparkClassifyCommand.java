package ai.spikegpt.cli;

import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.spark.ClassifierModels;
import ai.spikegpt.spark.TextClassifier;
import ai.spikegpt.zoo.SpikeGptModelZoo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spikegpt spark-classify}: classifies a file or folder of texts on Apache Spark with {@link
 * TextClassifier}, locally ({@code --master local[N]}) or on a cluster ({@code spark-submit}), and
 * writes one row per input row: the input's columns, {@code label}, {@code probability} and one
 * column per class with its probability.
 */
@Command(
        name = "spark-classify",
        mixinStandardHelpOptions = true,
        description =
                "Classify texts on Apache Spark (local[N] here, or a cluster through spark-submit); writes JSON lines (or Parquet, CSV).")
final class SparkClassifyCommand implements Callable<Integer> {

    /** {@code local}, {@code local[N]}, {@code local[*]}, {@code local[N,F]}: tasks at once. */
    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\d+|\\*)(?:,\\d+)?])?");

    enum InputFormat {
        text,
        csv,
        json,
        parquet
    }

    enum OutputFormat {
        json,
        parquet,
        csv
    }

    @Option(
            names = "--master",
            paramLabel = "URL",
            description =
                    "Spark master, e.g. local[2] (default: spark-submit's, else local[*] on this machine)")
    String master;

    @Option(
            names = "--model",
            defaultValue = SpikeGptModelZoo.SENTIMENT,
            paramLabel = "ID|DIR|URL",
            description =
                    "a classifier: zoo artifact, model directory or URL every executor can read (default: ${DEFAULT-VALUE})")
    String model;

    @Option(
            names = "--input",
            required = true,
            paramLabel = "PATH",
            description = "a file or folder of texts (text: one text a line)")
    String input;

    @Option(
            names = "--output",
            required = true,
            paramLabel = "DIR",
            description = "the output folder, written whole or not at all")
    String output;

    @Option(
            names = "--format",
            defaultValue = "text",
            description =
                    "the input's format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    InputFormat format;

    @Option(
            names = "--text-column",
            defaultValue = "text",
            paramLabel = "NAME",
            description =
                    "the column of the texts in csv (with a header), json or parquet input (default: ${DEFAULT-VALUE})")
    String textColumn;

    @Option(
            names = "--output-format",
            defaultValue = "json",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}: JSON lines)")
    OutputFormat outputFormat;

    @Option(
            names = "--batch-size",
            defaultValue = "32",
            description = "texts per forward pass (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Mixin ForceOption force;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        OptionChecks.atLeast("--batch-size", batchSize, 1);
        checkLocalInput();
        if (!output.contains("://")) {
            force.refuseExisting("--output", Paths.get(output)); // before Spark starts
        }
        List<String> labels = classifierLabels();
        shareCores();
        try (SparkSession spark = session()) {
            Dataset<Row> texts = read(spark);
            if (!Arrays.asList(texts.columns()).contains(textColumn)) {
                throw new IllegalArgumentException(
                        input
                                + " has no column '"
                                + textColumn
                                + "' (it has "
                                + String.join(", ", texts.columns())
                                + "): give the texts' column with --text-column");
            }
            long rows = texts.count();
            if (rows == 0) {
                throw new IllegalArgumentException(input + " holds no texts: nothing to classify");
            }
            Dataset<Row> classified =
                    new TextClassifier()
                            .setModel(model)
                            .setInputCol(textColumn)
                            .setOutputCol(SparkAnswerColumns.ANSWER)
                            .setBatchSize(batchSize)
                            .transform(texts);
            Dataset<Row> out = SparkAnswerColumns.flatten(classified, texts.columns(), labels);
            try (SparkOutputFolder folder =
                    SparkOutputFolder.begin(
                            spark.sparkContext().hadoopConfiguration(), output, force.force)) {
                Observation observation = new Observation("answers");
                long start = System.nanoTime();
                write(SparkAnswerColumns.observed(out, observation, labels), folder.writing());
                double seconds = (System.nanoTime() - start) / 1e9;
                Map<String, Object> metrics = observation.getAsJava();
                long written = ((Number) metrics.get("rows")).longValue();
                if (written != rows) {
                    throw new IllegalStateException(
                            "wrote "
                                    + written
                                    + " rows for "
                                    + rows
                                    + " texts: the output is not published");
                }
                folder.commit();
                System.out.printf(
                        Locale.ROOT,
                        "classified %d texts in %.1f s (%.1f rows/s, model loading included) with %s on %s: %s%n"
                                + "wrote %s (%s)%n",
                        rows,
                        seconds,
                        rows / seconds,
                        model,
                        spark.sparkContext().master(),
                        SparkAnswerColumns.counts(metrics, labels),
                        folder.output(),
                        outputFormat);
            }
        }
        return 0;
    }

    /** A local input that is missing or empty is reported before Spark starts. */
    private void checkLocalInput() throws IOException {
        if (input.contains("://")) {
            return;
        }
        java.nio.file.Path path = Paths.get(input);
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("no such file or folder: " + input);
        }
        if (Files.isRegularFile(path) && Files.size(path) == 0) {
            throw new IllegalArgumentException(input + " is empty: nothing to classify");
        }
    }

    /**
     * The model's labels, read on this machine: a language model is refused before any job runs. A
     * URL is only checked by the executors, which download it.
     */
    private List<String> classifierLabels() throws IOException {
        if (model.contains("://")) {
            return List.of();
        }
        List<String> labels = ModelDirectory.config(ClassifierModels.directory(model)).getLabels();
        if (labels.size() < 2) {
            throw new IllegalArgumentException(
                    model
                            + " is a language model, not a classifier: give a classifier (e.g. "
                            + SpikeGptModelZoo.SENTIMENT
                            + ", or one made by finetune-classifier)");
        }
        return labels;
    }

    /**
     * In local mode N tasks run at once in this JVM, each in its own forward pass: PyTorch gets the
     * cores divided between them (unless {@code -Dai.djl.pytorch.num_threads} says otherwise), so
     * that {@code local[2]} on two cores does not run four busy threads.
     */
    private void shareCores() {
        String url = master != null ? master : System.getProperty("spark.master", "local[*]");
        Matcher local = LOCAL.matcher(url);
        if (!local.matches()) {
            return;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        String tasks = local.group(1);
        int n = tasks == null ? 1 : tasks.equals("*") ? cores : Integer.parseInt(tasks);
        String key = "ai.djl.pytorch.num_threads";
        if (Integer.toString(cores).equals(System.getProperty(key, Integer.toString(cores)))) {
            System.setProperty(key, Integer.toString(Math.max(1, cores / Math.max(1, n))));
        }
    }

    private SparkSession session() {
        // start-up warnings that are no news on one machine: no SPARK_LOCAL_IP, no native Hadoop
        quiet("org.apache.spark.util.Utils", "error");
        quiet("org.apache.hadoop.util.NativeCodeLoader", "error");
        if (!spec.root().commandLine().getParseResult().originalArgs().contains("--verbose")) {
            // a failed task is reported in one line (ErrorReport), not by Spark's stack traces
            quiet("org.apache.spark.executor.Executor", "off");
            quiet("org.apache.spark.scheduler.TaskSetManager", "off");
            quiet("org.apache.spark.sql.execution.datasources.FileFormatWriter", "off");
        }
        SparkSession.Builder builder =
                SparkSession.builder()
                        .appName("spikegpt spark-classify")
                        .config("spark.ui.enabled", "false")
                        .config("spark.ui.showConsoleProgress", "true")
                        // a small file is split between the cores too (one split a core), in order
                        .config("spark.sql.files.openCostInBytes", "8192");
        if (master != null) {
            builder.master(master);
        } else if (System.getProperty("spark.master") == null) {
            builder.master("local[*]");
        }
        return builder.getOrCreate();
    }

    private static void quiet(String logger, String level) {
        String key = "org.slf4j.simpleLogger.log." + logger;
        if (System.getProperty(key) == null) {
            System.setProperty(key, level);
        }
    }

    private Dataset<Row> read(SparkSession spark) {
        try {
            return switch (format) {
                case text -> spark.read().text(input).withColumnRenamed("value", textColumn);
                case csv -> spark.read().option("header", "true").csv(input);
                case json -> spark.read().json(input);
                case parquet -> spark.read().parquet(input);
            };
        } catch (Exception e) {
            if (e instanceof AnalysisException) {
                throw new IllegalArgumentException(
                        "cannot read " + input + " as " + format + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private void write(Dataset<Row> out, String folder) {
        switch (outputFormat) {
            case json -> out.write().json(folder);
            case parquet -> out.write().parquet(folder);
            case csv -> out.write().option("header", "true").csv(folder);
        }
    }
}
