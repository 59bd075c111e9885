package ai.spikegpt.spark;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.translate.TranslateException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.TaskCompletionListener;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Classifies one partition: its rows come back in their order, each with the answer appended as a
 * struct {@code (label, probability, probabilities)}, or null for a null or blank text.
 *
 * <p>The rows are read a window at a time ({@value #BATCHES_PER_WINDOW} batches), so a partition of
 * any size needs the memory of one window. Inside a window the texts are sorted by length and cut
 * into batches: texts of similar length share a batch and little of it is padding. Each batch is
 * one {@code Predictor.batchPredict}, whose native arrays live in a manager of their own that is
 * closed when the batch is done, so native memory stays that of one batch.
 */
final class PartitionClassifier implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    /** Batches read and sorted together: longer windows sort better and hold more rows. */
    static final int BATCHES_PER_WINDOW = 64;

    private final String model;
    private final int textIndex;
    private final int batchSize;

    /**
     * @param model the model name, for {@link ClassifierModels#get}
     * @param textIndex the text column's index in the rows
     * @param batchSize texts per forward pass
     */
    PartitionClassifier(String model, int textIndex, int batchSize) {
        this.model = model;
        this.textIndex = textIndex;
        this.batchSize = batchSize;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        if (!rows.hasNext()) {
            return rows; // an empty partition loads no model
        }
        Predictor<String, Classifications> predictor = ClassifierModels.get(model).newPredictor();
        TaskContext task = TaskContext.get();
        if (task != null) {
            // also when the task stops early (a limit, a failure)
            task.addTaskCompletionListener((TaskCompletionListener) context -> predictor.close());
        }
        return new Iterator<>() {
            private Iterator<Row> window = List.<Row>of().iterator();

            @Override
            public boolean hasNext() {
                if (!window.hasNext() && rows.hasNext()) {
                    window = classifyWindow(rows, predictor).iterator();
                }
                boolean more = window.hasNext();
                if (!more && task == null) {
                    predictor.close();
                }
                return more;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return window.next();
            }
        };
    }

    private List<Row> classifyWindow(Iterator<Row> rows, Predictor<String, Classifications> p) {
        List<Row> window = new ArrayList<>();
        List<Integer> texts = new ArrayList<>();
        while (rows.hasNext() && window.size() < batchSize * BATCHES_PER_WINDOW) {
            Row row = rows.next();
            if (!row.isNullAt(textIndex) && !row.getString(textIndex).isBlank()) {
                texts.add(window.size());
            }
            window.add(row);
        }
        Row[] answers = new Row[window.size()];
        texts.sort(Comparator.comparingInt(i -> window.get(i).getString(textIndex).length()));
        for (int from = 0; from < texts.size(); from += batchSize) {
            List<Integer> batch = texts.subList(from, Math.min(texts.size(), from + batchSize));
            List<Classifications> results;
            try {
                results =
                        p.batchPredict(
                                batch.stream()
                                        .map(i -> window.get(i).getString(textIndex))
                                        .toList());
            } catch (TranslateException e) {
                throw new IllegalStateException(
                        "cannot classify with " + model + ": " + e.getMessage(), e);
            }
            for (int j = 0; j < batch.size(); j++) {
                answers[batch.get(j)] = answer(results.get(j));
            }
        }
        List<Row> out = new ArrayList<>(window.size());
        for (int i = 0; i < answers.length; i++) {
            out.add(append(window.get(i), answers[i]));
        }
        return out;
    }

    /** The answer struct: the best class, its probability, every class's probability. */
    static Row answer(Classifications c) {
        Classifications.Classification best = c.best();
        Map<String, Double> probabilities = new LinkedHashMap<>();
        List<String> names = c.getClassNames();
        List<Double> values = c.getProbabilities();
        for (int i = 0; i < names.size(); i++) {
            probabilities.put(names.get(i), values.get(i));
        }
        return RowFactory.create(
                best.getClassName(),
                best.getProbability(),
                CollectionConverters.asScala(probabilities));
    }

    private static Row append(Row row, Row answer) {
        Object[] values = new Object[row.length() + 1];
        for (int i = 0; i < row.length(); i++) {
            values[i] = row.get(i);
        }
        values[row.length()] = answer;
        return RowFactory.create(values);
    }
}
