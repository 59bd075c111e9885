package ai.spikegpt.examples;

import ai.spikegpt.spark.TextClassifier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Classifies the sentiment of every line of a text file on Apache Spark with the zoo's SST-2
 * SpikeGPT, and writes JSON lines: {@code ClassifyOnSpark TEXTS OUTPUT [MASTER]} (master default
 * {@code local[*]}; under {@code spark-submit}, give none).
 */
public final class ClassifyOnSpark {

    private ClassifyOnSpark() {}

    /**
     * @param args the text file, the output folder, optionally the Spark master
     */
    public static void main(String[] args) throws Exception {
        SparkSession.Builder builder = SparkSession.builder().appName("ClassifyOnSpark");
        if (args.length > 2 || System.getProperty("spark.master") == null) {
            builder.master(args.length > 2 ? args[2] : "local[*]");
        }
        try (SparkSession spark = builder.getOrCreate()) {
            Dataset<Row> texts = spark.read().text(args[0]).withColumnRenamed("value", "text");
            new TextClassifier()
                    .setModel("spikegpt-sst2") // a zoo id, a model directory or a URL
                    .setInputCol("text")
                    .transform(texts)
                    .select("text", "sentiment.label", "sentiment.probabilities")
                    .write()
                    .json(args[1]);
        }
    }
}
