package ai.spikegpt.training;

import ai.djl.Model;
import ai.djl.TrainingDivergedException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingResult;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import ai.djl.translate.TranslateException;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.model.SpikeGptClassifier;
import ai.spikegpt.spikes.SpikeRateListener;
import ai.spikegpt.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fine-tunes a {@link SpikeGptClassifier} with DJL's {@code Trainer}, one {@link EasyTrain#fit}
 * epoch at a time: softmax cross-entropy (against the class, or against class probabilities when
 * the data has {@linkplain LabeledTextDataset#hasProbabilityLabels probability labels}), accuracy,
 * Adam with warm-up and cosine decay, global-norm clipping, DJL's logging listeners (progress bar,
 * loss, accuracy) and the spike rates. After each epoch the dev set is scored; the best epoch's
 * model is saved as a model directory, and training stops when the dev accuracy has not improved
 * for {@code patience} epochs.
 *
 * <p>Output: the best model in {@code out/}, and {@code out/training/} with {@code log.csv} (one
 * row per epoch), {@code accuracy.png} and {@code summary.json}.
 */
public final class ClassifierTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(ClassifierTrainer.class);

    private final Builder b;

    private ClassifierTrainer(Builder b) {
        this.b = b;
    }

    /**
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * One epoch's figures.
     *
     * @param epoch the epoch, from 1
     * @param trainLoss the mean training loss
     * @param trainAccuracy the training accuracy (with dropout on)
     * @param devLoss the dev loss
     * @param devAccuracy the dev accuracy
     * @param spikeRate the mean firing rate of the LIF layers during the epoch
     * @param seconds the epoch's wall time
     */
    public record Epoch(
            int epoch,
            double trainLoss,
            double trainAccuracy,
            double devLoss,
            double devAccuracy,
            double spikeRate,
            double seconds) {}

    /**
     * What a fine-tuning run did.
     *
     * @param epochs every epoch's figures
     * @param bestEpoch the epoch whose model was kept
     * @param bestDevAccuracy its dev accuracy
     * @param stoppedEarly whether patience ran out before the last epoch
     * @param seconds the wall time
     */
    public record Summary(
            List<Epoch> epochs,
            int bestEpoch,
            double bestDevAccuracy,
            boolean stoppedEarly,
            double seconds) {}

    /**
     * Fine-tunes; the classifier is left with the last epoch's weights (the best are on disk).
     *
     * @return the summary
     * @throws IOException if data or output cannot be read or written
     */
    public Summary fit() throws IOException {
        SpikeGptClassifier classifier = (SpikeGptClassifier) b.model.getBlock();
        long steps = (long) b.epochs * batchesPerEpoch();
        LearningRateSchedule schedule =
                new LearningRateSchedule(b.learningRate, b.learningRate / 100, b.warmup, steps);
        SpikeRateListener spikes = new SpikeRateListener();
        DivergenceCheck divergence = new DivergenceCheck();
        boolean sparse =
                !b.train.hasProbabilityLabels(); // else the labels are distributions (soft targets)
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(
                                new SoftmaxCrossEntropyLoss(
                                        "SoftmaxCrossEntropyLoss", 1, -1, sparse, true))
                        .addEvaluator(new Accuracy())
                        .optOptimizer(
                                PyTorchAdam.builder().optLearningRateTracker(schedule).build())
                        .addTrainingListeners(divergence, new GradientClipping(b.clipNorm), spikes)
                        .addTrainingListeners(TrainingListener.Defaults.logging());
        Path trainingDir = b.out.resolve("training");
        Files.createDirectories(trainingDir);
        List<Epoch> epochs = new ArrayList<>();
        int best = 0;
        double bestAccuracy = -1;
        boolean stoppedEarly = false;
        long start = System.nanoTime();
        Engine.getInstance().setRandomSeed((int) b.seed); // shuffling and dropout
        try (Trainer trainer = b.model.newTrainer(config)) {
            trainer.initialize(new Shape(1, 1), new Shape(1, 1));
            for (int epoch = 1; epoch <= b.epochs; epoch++) {
                long epochStart = System.nanoTime();
                EasyTrain.fit(trainer, 1, b.train, b.dev);
                TrainingResult r = trainer.getTrainingResult();
                Map<String, Double> rates = spikes.getLastRates();
                Epoch e =
                        new Epoch(
                                epoch,
                                r.getTrainLoss(),
                                r.getTrainEvaluation("Accuracy"),
                                r.getValidateLoss(),
                                r.getValidateEvaluation("Accuracy"),
                                rates.values().stream()
                                        .mapToDouble(Double::doubleValue)
                                        .average()
                                        .orElse(Double.NaN),
                                (System.nanoTime() - epochStart) / 1e9);
                epochs.add(e);
                boolean improved = e.devAccuracy() > bestAccuracy;
                LOG.info(
                        String.format(
                                Locale.ROOT,
                                "epoch %d: train loss %.4f, accuracy %.2f%%; dev accuracy %.2f%%%s",
                                epoch,
                                e.trainLoss(),
                                100 * e.trainAccuracy(),
                                100 * e.devAccuracy(),
                                improved ? " (best so far, saved)" : ""));
                if (improved) {
                    best = epoch;
                    bestAccuracy = e.devAccuracy();
                    ModelDirectory.save(
                            b.out,
                            classifier,
                            classifier.getConfig(),
                            b.tokenizer,
                            b.storage,
                            Map.of(
                                    "dev_accuracy",
                                    String.format(Locale.ROOT, "%.4f", bestAccuracy)));
                } else if (epoch - best >= b.patience) {
                    LOG.info("no better dev accuracy for {} epochs: stopping early", b.patience);
                    stoppedEarly = epoch < b.epochs;
                    break;
                }
            }
        } catch (TranslateException e) {
            throw new IOException("reading the training data failed: " + e.getMessage(), e);
        } catch (TrainingDivergedException e) {
            String saved =
                    best > 0
                            ? String.format(
                                    Locale.ROOT,
                                    "%s holds epoch %d's model (dev accuracy %.2f%%), saved before it",
                                    b.out,
                                    best,
                                    100 * bestAccuracy)
                            : "no epoch finished, so no model was saved in " + b.out;
            throw new TrainingDivergedException(
                    String.format(
                            Locale.ROOT,
                            "fine-tuning diverged in epoch %d (%s); %s. Lower the learning rate (now %.2g) or raise the "
                                    + "warm-up, and start again",
                            epochs.size() + 1,
                            e.getMessage(),
                            saved,
                            b.learningRate),
                    e);
        }
        Summary summary =
                new Summary(
                        epochs,
                        best,
                        bestAccuracy,
                        stoppedEarly,
                        (System.nanoTime() - start) / 1e9);
        FineTuningReport.write(summary, trainingDir);
        return summary;
    }

    private long batchesPerEpoch() {
        return Math.max(1, (b.train.size() + b.batchSize - 1) / b.batchSize);
    }

    /**
     * Builds a {@link ClassifierTrainer}: {@code setModel}, {@code setTokenizer}, {@code setData},
     * {@code setOutput}.
     */
    public static final class Builder {

        private Model model;
        private TextTokenizer tokenizer;
        private LabeledTextDataset train;
        private LabeledTextDataset dev;
        private Path out;
        private int batchSize = 32;
        private int epochs = 10;
        private int patience = 3;
        private float learningRate = 2e-4f;
        private int warmup = 50;
        private float clipNorm = 1f;
        private long seed = 42;
        private DataType storage = DataType.FLOAT32;

        private Builder() {}

        /**
         * @param model a DJL model whose block is an initialised {@link SpikeGptClassifier} @return
         *     this builder
         */
        public Builder setModel(Model model) {
            this.model = model;
            return this;
        }

        /**
         * @param tokenizer the model's tokenizer, saved with it @return this builder
         */
        public Builder setTokenizer(TextTokenizer tokenizer) {
            this.tokenizer = tokenizer;
            return this;
        }

        /**
         * @param train the training examples (shuffled batches)
         * @param dev the examples that pick the best epoch
         * @param batchSize the training batch size they were built with
         * @return this builder
         */
        public Builder setData(LabeledTextDataset train, LabeledTextDataset dev, int batchSize) {
            this.train = train;
            this.dev = dev;
            this.batchSize = batchSize;
            return this;
        }

        /**
         * @param dir where the best model and the training record go @return this builder
         */
        public Builder setOutput(Path dir) {
            out = dir;
            return this;
        }

        /**
         * @param epochs the most epochs (default 10)
         * @param patience epochs without a better dev accuracy before stopping (default 3)
         * @return this builder
         */
        public Builder optEpochs(int epochs, int patience) {
            this.epochs = epochs;
            this.patience = patience;
            return this;
        }

        /**
         * @param peak the learning rate after warm-up (default 2e-4), decaying to 1% of it
         * @param warmupSteps linear warm-up steps (default 50)
         * @return this builder
         */
        public Builder optLearningRate(float peak, int warmupSteps) {
            learningRate = peak;
            warmup = warmupSteps;
            return this;
        }

        /**
         * @param maxNorm the global gradient norm limit (default 1) @return this builder
         */
        public Builder optClipNorm(float maxNorm) {
            clipNorm = maxNorm;
            return this;
        }

        /**
         * @param seed the seed of shuffling and dropout (default 42) @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @param type float32 (default) or float16 weights on disk @return this builder
         */
        public Builder optStorage(DataType type) {
            storage = type;
            return this;
        }

        /**
         * @return the trainer
         * @throws IllegalArgumentException for a missing or invalid setting
         */
        public ClassifierTrainer build() {
            if (model == null || tokenizer == null || train == null || dev == null || out == null) {
                throw new IllegalArgumentException(
                        "setModel, setTokenizer, setData and setOutput are required");
            }
            if (!(model.getBlock() instanceof SpikeGptClassifier classifier)) {
                throw new IllegalArgumentException(
                        "the model's block must be a SpikeGptClassifier, got "
                                + (model.getBlock() == null
                                        ? "none"
                                        : model.getBlock().getClass().getSimpleName()));
            }
            List<String> labels = classifier.getConfig().getLabels();
            if (!train.getLabels().equals(labels) || !dev.getLabels().equals(labels)) {
                throw new IllegalArgumentException(
                        "the data's labels "
                                + train.getLabels()
                                + " / "
                                + dev.getLabels()
                                + " differ from the classifier's "
                                + labels);
            }
            if (train.hasProbabilityLabels() != dev.hasProbabilityLabels()) {
                throw new IllegalArgumentException(
                        "the training and dev data must both have probability labels or "
                                + "both classes: build them with the same LabeledTextDataset.Builder.optProbabilityLabels");
            }
            if (epochs < 1 || patience < 1 || batchSize < 1 || warmup < 0) {
                throw new IllegalArgumentException(
                        "epochs, patience and batch size must be >= 1 and warm-up >= 0");
            }
            if (!(learningRate > 0) || !(clipNorm > 0)) {
                throw new IllegalArgumentException(
                        "the learning rate and the clipping norm must be > 0");
            }
            return new ClassifierTrainer(this);
        }
    }
}
