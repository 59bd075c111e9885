package ai.spikegpt.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The classes of a {@link SpikeGptClassifier}'s head, stored in {@code config.json} as {@code
 * n_classes} (0: a language model without a head) and optional {@code labels}, the names the
 * classifier's output index i stands for.
 */
final class ClassLabels {
    int nClasses;
    List<String> labels;

    /** Checks the values, completes {@code n_classes} from the labels and freezes them. */
    void validate() {
        if (nClasses < 0) {
            throw SpikeGptConfig.invalid(
                    "n_classes", nClasses, "must be >= 0 (0 = no classification head)");
        }
        if (labels != null) {
            if (nClasses == 0) {
                nClasses = labels.size();
            }
            if (labels.size() != nClasses) {
                throw SpikeGptConfig.invalid(
                        "labels",
                        labels,
                        "there must be exactly n_classes = " + nClasses + " labels");
            }
            if (labels.stream().anyMatch(Objects::isNull)
                    || new TreeSet<>(labels).size() != labels.size()) {
                throw SpikeGptConfig.invalid(
                        "labels", labels, "label names must be distinct and not null");
            }
            labels = List.copyOf(labels);
        }
        if (nClasses == 1) {
            throw SpikeGptConfig.invalid("n_classes", 1, "a classifier needs at least 2 classes");
        }
    }

    /** The configured names, or {@code class0, class1, ...} when none were configured. */
    List<String> names() {
        if (labels != null) {
            return labels;
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < nClasses; i++) {
            names.add("class" + i);
        }
        return Collections.unmodifiableList(names);
    }
}
