package ai.spikegpt.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import ai.spikegpt.model.SpikeGptClassifier;
import ai.spikegpt.tokenizer.TextNormalization;
import ai.spikegpt.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Labelled texts for classification on DJL's dataset API. A record is {@code (tokens [T], mask
 * [T])} with label {@code [1]} (the class index) or {@code [classes]} (see below); batches are
 * padded to their longest text with the classification translator's batchifier ({@link
 * SpikeGptClassifier#inputBatchifier()}), so training sees exactly what prediction sees.
 *
 * <p>The file format is one example per line, {@code LABEL<TAB or space>TEXT} (the format of the
 * SST, MR and Subj files): a label is one of the class names, or a class index {@code 0 .. n-1}
 * (SST-2's {@code 0} / {@code 1}), or the probabilities of the classes, {@code p0,p1,...} (soft
 * labels, e.g. a teacher's for knowledge distillation). With probability labels (or {@link
 * Builder#optProbabilityLabels}) a record's label is the distribution {@code [classes]} (one-hot
 * for a class), for DJL's {@code SoftmaxCrossEntropyLoss} with {@code sparseLabel = false} and its
 * {@code Accuracy} (which then compares the most probable classes). Blank lines are skipped;
 * anything else that does not parse is an error naming the file and line. Texts are normalized as
 * the model's configuration says (see {@link TextNormalization}); texts longer than {@code
 * maxTokens} keep their first {@code maxTokens} tokens.
 */
public final class LabeledTextDataset extends RandomAccessDataset {

    private static final Logger LOG = LoggerFactory.getLogger(LabeledTextDataset.class);

    /** One labelled text as read from a file. */
    public record Example(String label, String text, int line) {}

    private final List<long[]> tokens;
    private final int[] labels;
    private final float[][] distributions; // null: labels are class indices
    private final List<String> labelNames;

    private LabeledTextDataset(
            Builder b, List<long[]> tokens, int[] labels, float[][] distributions) {
        super(b);
        this.tokens = tokens;
        this.labels = labels;
        this.distributions = distributions;
        this.labelNames = b.labels;
    }

    /**
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the examples of a {@code LABEL<TAB or space>TEXT} file.
     *
     * @param file the file (UTF-8)
     * @return the examples, in file order
     * @throws IOException if it cannot be read, is not UTF-8, has a line without text, or has no
     *     examples
     */
    public static List<Example> read(Path file) throws IOException {
        return LabeledTextFile.read(file);
    }

    /**
     * @param examples the examples
     * @return the distinct labels, see {@link LabelSyntax#labelsOf}
     */
    public static List<String> labelsOf(List<Example> examples) {
        return LabelSyntax.labelsOf(examples);
    }

    /**
     * @param label the label as written
     * @param labels the class names
     * @return the class index, see {@link LabelSyntax#labelIndex}
     */
    public static int labelIndex(String label, List<String> labels) {
        return LabelSyntax.labelIndex(label, labels);
    }

    /**
     * @param label the label as written
     * @return whether it holds class probabilities, see {@link LabelSyntax#isDistribution}
     */
    public static boolean isDistribution(String label) {
        return LabelSyntax.isDistribution(label);
    }

    /**
     * @param label the label as written
     * @param labels the class names
     * @return the class probabilities, see {@link LabelSyntax#labelDistribution}
     */
    public static float[] labelDistribution(String label, List<String> labels) {
        return LabelSyntax.labelDistribution(label, labels);
    }

    @Override
    public Record get(NDManager manager, long index) {
        int i = Math.toIntExact(index);
        long[] ids = tokens.get(i);
        NDList data =
                new NDList(
                        manager.create(ids), manager.ones(new Shape(ids.length), DataType.FLOAT32));
        NDArray label =
                distributions != null
                        ? manager.create(distributions[i])
                        : manager.create(new long[] {labels[i]});
        return new Record(data, new NDList(label));
    }

    /**
     * @return whether the labels are class probabilities (see {@link Builder#optProbabilityLabels})
     */
    public boolean hasProbabilityLabels() {
        return distributions != null;
    }

    @Override
    protected long availableSize() {
        return tokens.size();
    }

    @Override
    public void prepare(Progress progress) {
        // everything is encoded when the dataset is built
    }

    /**
     * @param index an example
     * @return its length in tokens
     */
    public int length(long index) {
        return tokens.get(Math.toIntExact(index)).length;
    }

    /**
     * @return the class names, in index order
     */
    public List<String> getLabels() {
        return labelNames;
    }

    /**
     * @return the class index of every example (the most probable one for probabilities), in order
     */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * Returns how many examples each class has.
     *
     * @return counts by class index
     */
    public int[] classCounts() {
        int[] counts = new int[labelNames.size()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /**
     * Builds a {@link LabeledTextDataset}: {@code setTokenizer}, {@code setLabels}, then a file or
     * examples.
     */
    public static final class Builder extends BaseBuilder<Builder> {

        private TextTokenizer tokenizer;
        private List<String> labels;
        private List<Example> examples;
        private String origin = "the examples";
        private int maxTokens = 512;
        private TextNormalization normalization = TextNormalization.NONE;
        private boolean probabilityLabels;

        private Builder() {
            optDataBatchifier(SpikeGptClassifier.inputBatchifier());
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * @param tokenizer the model's tokenizer @return this builder
         */
        public Builder setTokenizer(TextTokenizer tokenizer) {
            this.tokenizer = tokenizer;
            return this;
        }

        /**
         * @param labels the class names in the classifier's order @return this builder
         */
        public Builder setLabels(List<String> labels) {
            this.labels = List.copyOf(labels);
            return this;
        }

        /**
         * @param file a {@code LABEL<TAB or space>TEXT} file
         * @return this builder
         * @throws IOException if it cannot be read (see {@link #read})
         */
        public Builder optFile(Path file) throws IOException {
            examples = read(file);
            origin = file.toString();
            return this;
        }

        /**
         * @param examples labelled texts
         * @param origin where they come from, for messages (e.g. the file they were read from)
         * @return this builder
         */
        public Builder optExamples(List<Example> examples, String origin) {
            this.examples = List.copyOf(examples);
            this.origin = origin;
            return this;
        }

        /**
         * @param n how texts are rewritten before tokenization (the model's) @return this builder
         */
        public Builder optNormalization(TextNormalization n) {
            normalization = n;
            return this;
        }

        /**
         * Makes every record's label the class probabilities (one-hot for a class), as needed by a
         * dev set beside a training set with probability labels; on by itself when any label is
         * written as probabilities.
         *
         * @param on whether labels are distributions
         * @return this builder
         */
        public Builder optProbabilityLabels(boolean on) {
            probabilityLabels = on;
            return this;
        }

        /**
         * @param n the longest text kept, in tokens (default 512) @return this builder
         */
        public Builder optMaxTokens(int n) {
            maxTokens = n;
            return this;
        }

        /**
         * Encodes the texts and resolves the labels.
         *
         * @return the dataset
         * @throws IllegalArgumentException for a missing setting or an unknown label (with its
         *     line)
         */
        public LabeledTextDataset build() {
            if (tokenizer == null || labels == null || examples == null) {
                throw new IllegalArgumentException(
                        "setTokenizer, setLabels and optFile or optExamples are required");
            }
            if (labels.size() < 2) {
                throw new IllegalArgumentException(
                        "classification needs at least two labels, got " + labels);
            }
            if (maxTokens < 1) {
                throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
            }
            List<long[]> tokens = new ArrayList<>(examples.size());
            int[] classes = new int[examples.size()];
            boolean soft =
                    probabilityLabels || examples.stream().anyMatch(e -> isDistribution(e.label()));
            float[][] distributions = soft ? new float[examples.size()][] : null;
            int cut = 0;
            for (int i = 0; i < examples.size(); i++) {
                Example e = examples.get(i);
                try {
                    if (soft) {
                        distributions[i] = labelDistribution(e.label(), labels);
                        classes[i] = argMax(distributions[i]);
                    } else {
                        classes[i] = labelIndex(e.label(), labels);
                    }
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException(
                            origin + ":" + e.line() + ": " + ex.getMessage(), ex);
                }
                long[] ids;
                try {
                    ids = tokenizer.encode(normalization.apply(e.text()));
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException(
                            origin + ":" + e.line() + ": " + ex.getMessage(), ex);
                }
                if (ids.length == 0) {
                    throw new IllegalArgumentException(
                            origin + ":" + e.line() + ": the text encodes to no tokens");
                }
                if (ids.length > maxTokens) {
                    ids = Arrays.copyOf(ids, maxTokens);
                    cut++;
                }
                tokens.add(ids);
            }
            if (cut > 0) {
                LOG.warn(
                        "{}: {} of {} texts were longer than {} tokens and keep their first {}",
                        origin,
                        cut,
                        examples.size(),
                        maxTokens,
                        maxTokens);
            }
            return new LabeledTextDataset(
                    this, Collections.unmodifiableList(tokens), classes, distributions);
        }

        private static int argMax(float[] p) {
            int best = 0;
            for (int i = 1; i < p.length; i++) {
                if (p[i] > p[best]) {
                    best = i;
                }
            }
            return best;
        }
    }
}
