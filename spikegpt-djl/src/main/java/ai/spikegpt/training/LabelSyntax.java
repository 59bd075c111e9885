package ai.spikegpt.training;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * How a label is written in a labelled-text file: a class name, a class index {@code 0 .. n-1}
 * (SST-2's {@code 0} / {@code 1}), or the probabilities of the classes, {@code p0,p1,...} (soft
 * labels, e.g. a teacher's for knowledge distillation).
 */
public final class LabelSyntax {

    private LabelSyntax() {}

    /**
     * Returns the labels a file uses, in a stable order: numerically if all are integers (so SST's
     * {@code 0..4} keep their meaning as indices), else alphabetically.
     *
     * @param examples the examples
     * @return the distinct labels
     */
    public static List<String> labelsOf(List<LabeledTextDataset.Example> examples) {
        TreeSet<String> distinct = new TreeSet<>();
        for (LabeledTextDataset.Example e : examples) {
            if (isDistribution(e.label())) {
                throw new IllegalArgumentException(
                        "line "
                                + e.line()
                                + " has probabilities as its label ('"
                                + abbreviate(e.label())
                                + "'), which do not name the classes: give the class names "
                                + "(finetune-classifier --labels)");
            }
            distinct.add(e.label());
        }
        List<String> out = new ArrayList<>(distinct);
        if (out.stream().allMatch(l -> l.matches("-?\\d{1,9}"))) {
            out.sort((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)));
        }
        return out;
    }

    /**
     * Resolves a label to its class index: a class name, or an index {@code 0 .. n-1}.
     *
     * @param label the label as written
     * @param labels the class names
     * @return the index
     * @throws IllegalArgumentException if it is neither
     */
    public static int labelIndex(String label, List<String> labels) {
        int index = labels.indexOf(label);
        if (index >= 0) {
            return index;
        }
        if (label.matches("\\d{1,9}")) {
            int n = Integer.parseInt(label);
            if (n < labels.size()) {
                return n;
            }
        }
        throw new IllegalArgumentException(
                "unknown label '"
                        + label
                        + "': the classes are "
                        + labels
                        + " (or their indices 0.."
                        + (labels.size() - 1)
                        + ")");
    }

    /**
     * Tells whether a label is written as class probabilities ({@code p0,p1,...}).
     *
     * @param label the label as written
     * @return whether it holds a comma
     */
    public static boolean isDistribution(String label) {
        return label.indexOf(',') >= 0;
    }

    /**
     * Resolves a label to the probabilities of the classes: those written ({@code p0,p1,...}), or
     * one-hot for a class name or index.
     *
     * @param label the label as written
     * @param labels the class names
     * @return the distribution, one entry per class
     * @throws IllegalArgumentException for an unknown class, or probabilities that are not a
     *     distribution over the classes
     */
    public static float[] labelDistribution(String label, List<String> labels) {
        float[] p = new float[labels.size()];
        if (!isDistribution(label)) {
            p[labelIndex(label, labels)] = 1;
            return p;
        }
        String[] parts = label.split(",", -1);
        double sum = 0;
        boolean valid = parts.length == p.length;
        for (int i = 0; valid && i < p.length; i++) {
            try {
                p[i] = Float.parseFloat(parts[i]);
            } catch (NumberFormatException e) {
                valid = false;
                break;
            }
            valid = p[i] >= 0 && p[i] <= 1; // also false for NaN
            sum += p[i];
        }
        if (!valid || Math.abs(sum - 1) > 1e-3) {
            throw new IllegalArgumentException(
                    "label '"
                            + abbreviate(label)
                            + "' is not a probability distribution over "
                            + "the classes "
                            + labels
                            + ": write "
                            + p.length
                            + " numbers in [0, 1] that sum to 1, ',' between");
        }
        return p;
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
