package ai.spikegpt.cli;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import ai.djl.util.Progress;
import ai.spikegpt.inference.JavaSpikeGpt;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.training.ConfusionMatrix;
import ai.spikegpt.training.LabeledTextDataset;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code spikegpt eval-classifier}: accuracy, per-class precision and recall, confusion matrix. */
@Command(
        name = "eval-classifier",
        mixinStandardHelpOptions = true,
        description =
                "Score a classifier on a LABEL<TAB or space>TEXT file: accuracy, per-class precision/recall/F1, confusion matrix.")
final class EvalClassifierCommand implements Callable<Integer> {

    @Mixin ModelOption model;

    @Mixin EngineOption engine;

    @Option(
            names = "--data",
            required = true,
            description = "labelled examples; labels are class names or indices")
    Path data;

    @Option(
            names = "--batch-size",
            defaultValue = "32",
            description = "texts per forward pass (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Override
    public Integer call() throws Exception {
        OptionChecks.atLeast("--batch-size", batchSize, 1);
        Path dir = model.directory();
        List<String> labels = ModelDirectory.config(dir).getLabels();
        List<LabeledTextDataset.Example> examples = LabeledTextDataset.read(data);
        int[] actual = new int[examples.size()];
        for (int i = 0; i < actual.length; i++) {
            try {
                actual[i] = LabeledTextDataset.labelIndex(examples.get(i).label(), labels);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        data + ":" + examples.get(i).line() + ": " + e.getMessage(), e);
            }
        }
        ConfusionMatrix matrix = new ConfusionMatrix(labels);
        // texts of similar length share a batch: less padding
        List<Integer> order =
                IntStream.range(0, examples.size())
                        .boxed()
                        .sorted(Comparator.comparingInt(i -> examples.get(i).text().length()))
                        .toList();
        if (engine.isJava(JavaSpikeGpt.vectorized())) {
            try (JavaTextClassifier java = new JavaTextClassifier(dir, engine.format())) {
                score(order, examples, actual, matrix, java::best);
            }
        } else {
            try (ZooModel<String, Classifications> zooModel =
                            ClassifierCriteria.of(dir).loadModel();
                    Predictor<String, Classifications> predictor = zooModel.newPredictor()) {
                score(
                        order,
                        examples,
                        actual,
                        matrix,
                        texts -> {
                            List<Classifications> results = predictor.batchPredict(texts);
                            return results.stream()
                                    .mapToInt(r -> labels.indexOf(r.best().getClassName()))
                                    .toArray();
                        });
            }
        }
        System.out.println(data + " with " + dir + ":");
        System.out.print(matrix.format());
        return 0;
    }

    /** Classifies batch by batch with a progress bar, adding each result to the matrix. */
    private void score(
            List<Integer> order,
            List<LabeledTextDataset.Example> examples,
            int[] actual,
            ConfusionMatrix matrix,
            BatchClassifier classify)
            throws TranslateException {
        Progress bar = ConsoleProgress.of("Classifying", examples.size());
        bar.start(0);
        for (int from = 0; from < order.size(); from += batchSize) {
            List<Integer> batch = order.subList(from, Math.min(order.size(), from + batchSize));
            int[] best = classify.best(batch.stream().map(i -> examples.get(i).text()).toList());
            for (int j = 0; j < batch.size(); j++) {
                matrix.add(actual[batch.get(j)], best[j]);
            }
            bar.update(from + batch.size());
        }
        bar.end();
    }

    /** A batch of texts to the indices of their best labels. */
    @FunctionalInterface
    private interface BatchClassifier {
        int[] best(List<String> texts) throws TranslateException;
    }
}
