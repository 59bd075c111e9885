package ai.spikegpt.examples;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.model.SpikeGptClassifier;
import ai.spikegpt.tokenizer.TextTokenizer;
import ai.spikegpt.training.LabeledTextDataset;
import java.nio.file.Path;
import java.util.List;

/**
 * Fine-tunes the zoo's pre-trained SpikeGPT for sentiment with plain DJL: {@code Criteria} (a new
 * classification head from the argument {@code labels}) -> {@code Model} -> {@code Trainer}.
 *
 * <pre>
 *   java -cp spikegpt.jar ai.spikegpt.examples.FineTuneClassifier TRAIN DEV OUT [EPOCHS]
 * </pre>
 *
 * Files are {@code LABEL<TAB or space>TEXT} lines, labels {@code negative}/{@code positive} or 0/1
 * (e.g. ../shared/data/sst2/stsa.binary.train). {@code spikegpt finetune-classifier} does the same
 * with early stopping, a learning-rate schedule and clipping.
 */
public final class FineTuneClassifier {

    private FineTuneClassifier() {}

    /**
     * @param args training file, dev file, output directory, optional number of epochs
     */
    public static void main(String[] args) throws Exception {
        List<String> labels = List.of("negative", "positive");
        Criteria<String, Classifications> criteria =
                Criteria.builder()
                        .setTypes(String.class, Classifications.class)
                        .optGroupId("ai.spikegpt.zoo")
                        .optArtifactId("spikegpt-prose")
                        .optArgument("labels", String.join(",", labels))
                        .build();
        try (ZooModel<String, Classifications> model = criteria.loadModel();
                TextTokenizer tokenizer = TextTokenizer.load(model.getModelPath())) {
            LabeledTextDataset train =
                    LabeledTextDataset.builder()
                            .setTokenizer(tokenizer)
                            .setLabels(labels)
                            .optFile(Path.of(args[0]))
                            .setSampling(32, true)
                            .build();
            LabeledTextDataset dev =
                    LabeledTextDataset.builder()
                            .setTokenizer(tokenizer)
                            .setLabels(labels)
                            .optFile(Path.of(args[1]))
                            .setSampling(32, false)
                            .build();
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                            .addEvaluator(new Accuracy())
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(Tracker.fixed(2e-4f))
                                            .build())
                            .addTrainingListeners(TrainingListener.Defaults.logging());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, 1), new Shape(1, 1));
                EasyTrain.fit(trainer, args.length > 3 ? Integer.parseInt(args[3]) : 3, train, dev);
                System.out.println(trainer.getTrainingResult());
            }
            SpikeGptClassifier classifier = (SpikeGptClassifier) model.getBlock();
            ModelDirectory.save(
                    Path.of(args[2]),
                    classifier,
                    classifier.getConfig(),
                    tokenizer,
                    DataType.FLOAT32,
                    null);
            try (Predictor<String, Classifications> predictor = model.newPredictor()) {
                System.out.println(predictor.predict("a gorgeous , witty , seductive movie ."));
            }
        }
    }
}
