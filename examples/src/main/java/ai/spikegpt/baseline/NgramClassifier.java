package ai.spikegpt.baseline;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * A bag-of-n-grams sentiment classifier, the baseline a user would try first and a teacher that
 * errs on other sentences than a small SpikeGPT: logistic regression (LIBLINEAR through Tribuo) on
 * the binary {@link NgramFeatures} of a text, each scaled by its naive-Bayes log-count ratio for
 * two classes,
 *
 * <pre>
 *   r_f = log((p_f / |p|_1) / (q_f / |q|_1)),   p_f = 1 + #positive texts with f,  q_f = 1 + #negative texts with f
 * </pre>
 *
 * NBSVM's features (Wang and Manning 2012, "Baselines and Bigrams"). With more than two classes the
 * features stay binary. A {@link SentimentLexicon} adds two features, the text's positive and
 * negative valence sums, which carry the sentiment of words the training texts lack. LIBLINEAR's
 * L2-regularised logistic regression is deterministic: no seed.
 *
 * <pre>{@code
 * NgramClassifier sentiment = NgramClassifier.fit(texts, labels, List.of("negative", "positive"), 1e-3, null);
 * float[] p = sentiment.probabilities("a gorgeous, witty movie");   // {P(negative), P(positive)}
 * }</pre>
 */
public final class NgramClassifier {

    private static final LabelFactory LABELS = new LabelFactory();

    private final Model<Label> model;
    private final Map<String, Double> scale;
    private final List<String> classes;
    private final SentimentLexicon lexicon;

    private NgramClassifier(
            Model<Label> model,
            Map<String, Double> scale,
            List<String> classes,
            SentimentLexicon lexicon) {
        this.model = model;
        this.scale = scale;
        this.classes = List.copyOf(classes);
        this.lexicon = lexicon;
    }

    /**
     * Fits the classifier.
     *
     * @param texts the training texts
     * @param labels each text's class index into {@code classes}
     * @param classes the class names
     * @param l2 the L2 penalty per training text: the objective is the mean logistic loss plus
     *     {@code l2 |w|^2}
     * @param lexicon a sentiment lexicon whose two scores become two more features, or null
     * @return the fitted classifier
     */
    public static NgramClassifier fit(
            List<String> texts,
            int[] labels,
            List<String> classes,
            double l2,
            SentimentLexicon lexicon) {
        if (texts.size() != labels.length || texts.isEmpty()) {
            throw new IllegalArgumentException("give one label per text, and at least one text");
        }
        if (!(l2 > 0)) {
            throw new IllegalArgumentException("the L2 penalty must be > 0, got " + l2);
        }
        List<Set<String>> features = texts.stream().map(NgramFeatures::of).toList();
        Map<String, Double> scale =
                classes.size() == 2 ? naiveBayesRatios(features, labels) : Map.of();
        MutableDataset<Label> data =
                new MutableDataset<>(
                        new SimpleDataSourceProvenance("training texts", LABELS), LABELS);
        for (int i = 0; i < texts.size(); i++) {
            data.add(
                    example(
                            new Label(classes.get(labels[i])),
                            texts.get(i),
                            features.get(i),
                            scale,
                            lexicon));
        }
        // LIBLINEAR minimises C * sum(loss) + |w|^2 / 2, the same optimum as mean(loss) + l2 |w|^2
        double c = 1 / (2 * l2 * texts.size());
        LibLinearClassificationTrainer trainer =
                new LibLinearClassificationTrainer(
                        new LinearClassificationType(LinearClassificationType.LinearType.L2R_LR),
                        c,
                        1000,
                        1e-4);
        return new NgramClassifier(trainer.train(data), scale, classes, lexicon);
    }

    /**
     * @param text a text
     * @return its class probabilities, in the order of the classes
     */
    public float[] probabilities(String text) {
        Prediction<Label> prediction =
                model.predict(
                        example(
                                LabelFactory.UNKNOWN_LABEL,
                                text,
                                NgramFeatures.of(text),
                                scale,
                                lexicon));
        Map<String, Label> scores = prediction.getOutputScores();
        float[] out = new float[classes.size()];
        for (int k = 0; k < out.length; k++) {
            Label score = scores.get(classes.get(k));
            out[k] = score == null ? 0f : (float) score.getScore();
        }
        return out;
    }

    /**
     * A text as Tribuo sees it: its n-grams, NB-scaled, and the lexicon's two sums in units of the
     * strongest valence (4), so they are on the scale of the n-gram features.
     */
    private static ArrayExample<Label> example(
            Label label,
            String text,
            Set<String> features,
            Map<String, Double> scale,
            SentimentLexicon lexicon) {
        int n = features.size();
        String[] names =
                Arrays.copyOf(features.toArray(String[]::new), lexicon == null ? n : n + 2);
        double[] values = new double[names.length];
        for (int i = 0; i < n; i++) {
            values[i] = scale.isEmpty() ? 1.0 : scale.getOrDefault(names[i], 0.0);
        }
        if (lexicon != null) {
            double[] score = lexicon.score(NgramFeatures.words(text));
            names[n] = "@lexicon positive";
            values[n] = score[0] / SentimentLexicon.STRONGEST;
            names[n + 1] = "@lexicon negative";
            values[n + 1] = score[1] / SentimentLexicon.STRONGEST;
        }
        return new ArrayExample<>(label, names, values);
    }

    /**
     * Each feature's log-count ratio between the second class and the first, with add-one
     * smoothing.
     */
    private static Map<String, Double> naiveBayesRatios(List<Set<String>> features, int[] labels) {
        Map<String, long[]> counts = new HashMap<>();
        long[] totals = {0, 0};
        for (int i = 0; i < labels.length; i++) {
            for (String f : features.get(i)) {
                counts.computeIfAbsent(f, k -> new long[2])[labels[i]]++;
            }
        }
        for (long[] c : counts.values()) {
            totals[0] += c[0] + 1;
            totals[1] += c[1] + 1;
        }
        Map<String, Double> ratios = new HashMap<>();
        counts.forEach(
                (f, c) ->
                        ratios.put(
                                f,
                                Math.log((c[1] + 1.0) / totals[1])
                                        - Math.log((c[0] + 1.0) / totals[0])));
        return ratios;
    }
}
