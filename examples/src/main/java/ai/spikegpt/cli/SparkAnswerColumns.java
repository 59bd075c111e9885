package ai.spikegpt.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The columns {@code spark-classify} writes: the transformer's answer struct flattened into {@code
 * label}, {@code probability} and one column per class, and the counts of each label observed as
 * the output is written.
 */
final class SparkAnswerColumns {

    /** The answer's struct column while the output is assembled. */
    static final String ANSWER = "__spikegpt_answer";

    /** The observed metric of texts without an answer (null or blank). */
    private static final String BLANK = "__spikegpt_blank";

    private SparkAnswerColumns() {}

    /**
     * The input's columns, then {@code label}, {@code probability} and each class's probability
     * (named by the class).
     */
    static Dataset<Row> flatten(
            Dataset<Row> classified, String[] inputColumns, List<String> labels) {
        List<Column> columns = new ArrayList<>();
        Arrays.stream(inputColumns).map(functions::col).forEach(columns::add);
        columns.add(functions.col(ANSWER + ".label").as("label"));
        columns.add(functions.col(ANSWER + ".probability").as("probability"));
        for (String label : labels) {
            columns.add(
                    functions
                            .element_at(functions.col(ANSWER + ".probabilities"), label)
                            .as(label));
        }
        List<String> names = new ArrayList<>(List.of("label", "probability"));
        names.addAll(labels);
        for (String name : names) {
            if (Arrays.asList(inputColumns).contains(name)) {
                throw new IllegalArgumentException(
                        "the input has a column '"
                                + name
                                + "', which the answer is written to: rename or drop it");
            }
        }
        if (labels.isEmpty()) {
            columns.add(functions.col(ANSWER + ".probabilities").as("probabilities"));
        }
        return classified.select(columns.toArray(Column[]::new));
    }

    /**
     * Counts the rows and the answers of each class as the output is written (a Spark {@code
     * Observation}: no second pass over the data).
     */
    static Dataset<Row> observed(Dataset<Row> out, Observation observation, List<String> labels) {
        List<Column> metrics = new ArrayList<>();
        metrics.add(functions.count(functions.lit(1)).as("rows"));
        metrics.add(functions.count(functions.when(functions.col("label").isNull(), 1)).as(BLANK));
        for (String label : labels) {
            metrics.add(
                    functions
                            .count(functions.when(functions.col("label").equalTo(label), 1))
                            .as(label));
        }
        return out.observe(
                observation,
                metrics.get(0),
                metrics.subList(1, metrics.size()).toArray(Column[]::new));
    }

    /** "negative 909, positive 912" (and the blank texts, if any). */
    static String counts(Map<String, Object> metrics, List<String> labels) {
        List<String> parts = new ArrayList<>();
        for (String label : labels) {
            parts.add(label + " " + metrics.get(label));
        }
        long blank = ((Number) metrics.get(BLANK)).longValue();
        if (blank > 0) {
            parts.add(blank + " blank (no answer)");
        }
        return String.join(", ", parts);
    }
}
