package ai.spikegpt.training;

import java.util.List;
import java.util.Locale;

/**
 * Counts of (true class, predicted class) pairs, and what they say: accuracy, and per class
 * precision = TP / predicted, recall = TP / actual, F1 = their harmonic mean.
 */
public final class ConfusionMatrix {

    private final List<String> labels;
    private final long[][] counts;

    /**
     * @param labels the class names
     */
    public ConfusionMatrix(List<String> labels) {
        this.labels = List.copyOf(labels);
        counts = new long[labels.size()][labels.size()];
    }

    /**
     * Counts one example.
     *
     * @param actual the true class index
     * @param predicted the predicted class index
     */
    public void add(int actual, int predicted) {
        counts[actual][predicted]++;
    }

    /**
     * @return the number of examples
     */
    public long total() {
        long n = 0;
        for (long[] row : counts) {
            for (long c : row) {
                n += c;
            }
        }
        return n;
    }

    /**
     * @param actual the true class @param predicted the predicted class @return the count
     */
    public long count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    /**
     * @return the fraction predicted correctly, NaN for no examples
     */
    public double accuracy() {
        long right = 0;
        for (int i = 0; i < counts.length; i++) {
            right += counts[i][i];
        }
        return (double) right / total();
    }

    /**
     * @param c a class @return TP / (examples predicted as c), NaN if none were
     */
    public double precision(int c) {
        long predicted = 0;
        for (long[] row : counts) {
            predicted += row[c];
        }
        return (double) counts[c][c] / predicted;
    }

    /**
     * @param c a class @return TP / (examples of class c), NaN if there are none
     */
    public double recall(int c) {
        long actual = 0;
        for (long n : counts[c]) {
            actual += n;
        }
        return (double) counts[c][c] / actual;
    }

    /**
     * @param c a class @return the harmonic mean of precision and recall
     */
    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /**
     * @return the labels
     */
    public List<String> labels() {
        return labels;
    }

    /**
     * Formats the per-class figures and the matrix as Markdown tables.
     *
     * @return the tables
     */
    public String format() {
        StringBuilder s = new StringBuilder();
        s.append(
                String.format(
                        Locale.ROOT,
                        "accuracy %.2f%% (%d of %d)%n%n",
                        100 * accuracy(),
                        Math.round(accuracy() * total()),
                        total()));
        s.append("| class | precision | recall | F1 | examples |\n|---|---:|---:|---:|---:|\n");
        for (int c = 0; c < labels.size(); c++) {
            long actual = 0;
            for (long n : counts[c]) {
                actual += n;
            }
            s.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %.2f%% | %.2f%% | %.2f%% | %d |%n",
                            labels.get(c),
                            100 * precision(c),
                            100 * recall(c),
                            100 * f1(c),
                            actual));
        }
        s.append("\nconfusion matrix (rows: true class, columns: predicted)\n\n| |");
        labels.forEach(l -> s.append(' ').append(l).append(" |"));
        s.append("\n|---|").append("---:|".repeat(labels.size())).append('\n');
        for (int a = 0; a < labels.size(); a++) {
            s.append("| ").append(labels.get(a)).append(" |");
            for (int p = 0; p < labels.size(); p++) {
                s.append(' ').append(counts[a][p]).append(" |");
            }
            s.append('\n');
        }
        return s.toString();
    }
}
