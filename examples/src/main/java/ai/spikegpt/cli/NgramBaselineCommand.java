package ai.spikegpt.cli;

import ai.spikegpt.baseline.NgramClassifier;
import ai.spikegpt.baseline.SentimentLexicon;
import ai.spikegpt.baseline.WordSpans;
import ai.spikegpt.files.AtomicFiles;
import ai.spikegpt.files.TextFiles;
import ai.spikegpt.tokenizer.TextNormalization;
import ai.spikegpt.training.LabeledTextDataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code spikegpt ngram-baseline}: the bag-of-n-grams classifier a user would compare SpikeGPT
 * with, fitted on a labelled file and scored on others, for each L2 penalty given.
 */
@Command(
        name = "ngram-baseline",
        mixinStandardHelpOptions = true,
        description =
                "Fit the bag-of-n-grams baseline (NBSVM features, logistic regression) and score it.")
final class NgramBaselineCommand implements Callable<Integer> {

    @Option(
            names = "--train",
            required = true,
            description = "labelled examples to fit on (LABEL TEXT a line)")
    Path train;

    @Option(
            names = "--eval",
            required = true,
            arity = "1..*",
            description = "labelled files to score it on")
    List<Path> eval;

    @Option(
            names = "--labels",
            split = ",",
            description = "the class names (default: the training file's labels)")
    List<String> labels;

    @Option(
            names = "--l2",
            split = ",",
            defaultValue = "1e-3",
            description = "L2 penalties to try, comma-separated (default: ${DEFAULT-VALUE})")
    List<Double> l2;

    @Option(
            names = "--normalize",
            defaultValue = "ptb_lowercase",
            description =
                    "text normalization before the features: none or ptb_lowercase (default: ${DEFAULT-VALUE})")
    String normalize;

    @Option(
            names = "--lexicon",
            description = {
                "a sentiment lexicon in VADER's format (word TAB valence), e.g.",
                "vader_lexicon.txt of the npm package vader-sentiment (Apache-2.0; VADER's lexicon is MIT)"
            })
    Path lexicon;

    @Option(
            names = "--soft-labels",
            description = {
                "write the fitted classifier's probabilities as soft labels",
                "(p0,p1,... TEXT a line) for the training texts, their --spans and the --transfer texts: a teacher's",
                "targets for finetune-classifier; needs exactly one --l2"
            })
    Path softLabels;

    @Option(
            names = "--spans",
            defaultValue = "0",
            description =
                    "random word spans of each training text to label too (default: ${DEFAULT-VALUE})")
    int spans;

    @Option(
            names = "--transfer",
            arity = "1..*",
            description = "unlabelled texts to label too, one a line")
    List<Path> transfer = List.of();

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "the spans' seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Mixin ForceOption overwrite;

    @Override
    public Integer call() throws Exception {
        if (softLabels != null && l2.size() != 1) {
            throw new IllegalArgumentException(
                    "--soft-labels needs exactly one --l2 value, got " + l2);
        }
        OptionChecks.atLeast("--spans", spans, 0);
        if (softLabels != null) {
            overwrite.refuseExisting("--soft-labels", softLabels);
        }
        SentimentLexicon lex = lexicon == null ? null : SentimentLexicon.read(lexicon);
        TextNormalization normalization = TextNormalization.parse(normalize);
        List<LabeledTextDataset.Example> examples = LabeledTextDataset.read(train);
        List<String> classes = labels != null ? labels : LabeledTextDataset.labelsOf(examples);
        List<String> texts = examples.stream().map(e -> normalization.apply(e.text())).toList();
        int[] y =
                examples.stream()
                        .mapToInt(e -> LabeledTextDataset.labelIndex(e.label(), classes))
                        .toArray();
        for (double penalty : l2) {
            long start = System.nanoTime();
            NgramClassifier classifier = NgramClassifier.fit(texts, y, classes, penalty, lex);
            StringBuilder line =
                    new StringBuilder(
                            String.format(
                                    Locale.ROOT,
                                    "l2 %g (fitted in %.1f s):",
                                    penalty,
                                    (System.nanoTime() - start) / 1e9));
            for (Path file : eval) {
                line.append(
                        String.format(
                                Locale.ROOT,
                                "  %s %.2f%%",
                                file.getFileName(),
                                100 * accuracy(classifier, file, classes, normalization)));
            }
            System.out.println(line);
            if (softLabels != null) {
                writeSoftLabels(classifier, texts, normalization);
            }
        }
        return 0;
    }

    /**
     * Labels the training texts, spans of them and the transfer texts with the classifier's
     * probabilities.
     */
    private void writeSoftLabels(
            NgramClassifier classifier, List<String> texts, TextNormalization normalization)
            throws IOException {
        List<String> wordSpans = WordSpans.of(texts, spans, seed);
        List<String> transferTexts = new ArrayList<>();
        for (Path file : transfer) {
            TextFiles.readUtf8(file)
                    .lines()
                    .filter(line -> !line.isBlank())
                    .map(normalization::apply)
                    .forEach(transferTexts::add);
        }
        StringBuilder out = new StringBuilder();
        for (List<String> part : List.of(texts, wordSpans, transferTexts)) {
            for (String text : part) {
                float[] p = classifier.probabilities(text);
                for (int k = 0; k < p.length; k++) {
                    out.append(k == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.5f", p[k]));
                }
                out.append(' ').append(text).append('\n');
            }
        }
        AtomicFiles.writeString(softLabels, out);
        System.out.printf(
                Locale.ROOT,
                "soft labels of %,d texts, %,d spans and %,d transfer texts in %s%n",
                texts.size(),
                wordSpans.size(),
                transferTexts.size(),
                softLabels);
    }

    private static double accuracy(
            NgramClassifier classifier,
            Path file,
            List<String> classes,
            TextNormalization normalization)
            throws IOException {
        List<LabeledTextDataset.Example> examples = LabeledTextDataset.read(file);
        int right = 0;
        for (LabeledTextDataset.Example e : examples) {
            float[] p = classifier.probabilities(normalization.apply(e.text()));
            int best = 0;
            for (int k = 1; k < p.length; k++) {
                best = p[k] > p[best] ? k : best;
            }
            right += best == LabeledTextDataset.labelIndex(e.label(), classes) ? 1 : 0;
        }
        return right / (double) examples.size();
    }
}
