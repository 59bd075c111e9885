package ai.spikegpt.training;

import ai.djl.Model;
import ai.djl.TrainingDivergedException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.util.ProgressBar;
import ai.djl.translate.TranslateException;
import ai.spikegpt.files.AtomicFiles;
import ai.spikegpt.io.DirectoryTransaction;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.io.ModelIO;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.model.SpikeGptModel;
import ai.spikegpt.spikes.SpikeMonitor;
import ai.spikegpt.spikes.SpikeStatistics;
import ai.spikegpt.tokenizer.TextTokenizer;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a SpikeGPT language model with DJL's {@code Trainer}, the original SpikeGPT recipe:
 * next-token cross-entropy with L2Wrap, Adam (betas 0.9 / 0.99, eps 4e-9), global-norm clipping, a
 * linear warm-up then cosine decay of the learning rate, dropout.
 *
 * <p>Output directory:
 *
 * <pre>
 *   OUT/                  the final model (a {@link ModelDirectory}: config, weights, tokenizer)
 *   OUT/training/         log.csv (curves), bpc.png (plot), summary.json
 *   OUT/checkpoint/       the last checkpoint: model, optimizer.safetensors, state.json
 * </pre>
 *
 * <p>A run is a pure function of its settings and seed: the training windows are drawn from the
 * seed and their position, and the dropout masks from the seed and the step, so a killed run
 * resumed from its checkpoint ({@link Builder#optResume}) continues the same loss curve, optimizer
 * moments and data position included. A resume may lengthen the run ({@link Builder#setSteps}
 * larger than the checkpoint's): the learning-rate schedule is stretched to the new length from the
 * checkpoint's step on.
 *
 * <p>The checkpoint and the final model are written as wholes ({@link DirectoryTransaction}): a
 * kill at any moment leaves the previous checkpoint or the new one, and never no checkpoint.
 */
public final class LanguageModelTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(LanguageModelTrainer.class);
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();
    private static final String CHECKPOINT = "checkpoint";
    private static final String STATE = "state.json";
    private static final String OPTIMIZER = "optimizer.safetensors";
    private static final String LOG_CSV = "log.csv";

    private final Builder b;

    private LanguageModelTrainer(Builder builder) {
        this.b = builder;
    }

    /**
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * What a run did.
     *
     * @param steps the optimizer steps done in total
     * @param tokens the training tokens seen
     * @param seconds the wall time of this process's training loop
     * @param tokensPerSecond the training throughput of this process
     * @param validationBpc the final validation bits per character
     * @param validationPerplexity the final validation perplexity per token
     * @param stoppedBy "steps" or "time"
     */
    public record Summary(
            long steps,
            long tokens,
            double seconds,
            double tokensPerSecond,
            double validationBpc,
            double validationPerplexity,
            String stoppedBy) {}

    /** The resumable position of a run (state.json of a checkpoint). */
    private static final class State {
        long step;
        long totalSteps;
        long seed;
        double seconds;
        double lossSum; // the losses of a log interval cut short by the checkpoint
        int lossCount;
    }

    /**
     * Returns whether an output directory holds a checkpoint to resume, after finishing a
     * checkpoint write that a kill interrupted.
     *
     * @param out a training output directory
     * @return whether {@link Builder#optResume} would continue from a checkpoint there
     * @throws IOException if an interrupted checkpoint write cannot be finished
     */
    public static boolean hasCheckpoint(Path out) throws IOException {
        Path checkpoint = out.resolve(CHECKPOINT);
        recoverLegacySwap(checkpoint);
        if (Files.isDirectory(checkpoint)) {
            DirectoryTransaction.recover(checkpoint);
        }
        return Files.isRegularFile(checkpoint.resolve(STATE));
    }

    /**
     * Earlier versions swapped a whole {@code checkpoint.partial} folder in through {@code
     * checkpoint.old}; a kill between the two renames left no {@code checkpoint}: the old one is
     * put back (the partial one may be incomplete).
     */
    private static void recoverLegacySwap(Path checkpoint) throws IOException {
        Path old = checkpoint.resolveSibling(checkpoint.getFileName() + ".old");
        if (!Files.exists(checkpoint) && Files.isRegularFile(old.resolve(STATE))) {
            Files.move(old, checkpoint, StandardCopyOption.ATOMIC_MOVE);
        }
        DirectoryTransaction.deleteRecursively(old);
        DirectoryTransaction.deleteRecursively(
                checkpoint.resolveSibling(checkpoint.getFileName() + ".partial"));
    }

    /**
     * Runs the training.
     *
     * @return the summary
     * @throws IOException if the output cannot be written or a checkpoint read
     */
    public Summary train() throws IOException {
        Path out = b.output;
        Path trainingDir = out.resolve("training");
        Path checkpoint = out.resolve(CHECKPOINT);
        int batch = b.batchSize;
        int ctx = b.config.getContextLength();

        State state = new State();
        TrainingLog log = new TrainingLog();
        boolean resumed = b.resume && hasCheckpoint(out);
        if (b.resume && !resumed) {
            LOG.info("no checkpoint in {}: starting a new run", checkpoint);
        }
        if (resumed) {
            state = GSON.fromJson(Files.readString(checkpoint.resolve(STATE)), State.class);
            checkResumable(checkpoint, state);
            log = TrainingLog.load(checkpoint.resolve(LOG_CSV));
            // a row written when the run stopped mid-interval is replaced by the resumed interval's
            log.truncate(state.step % b.logEvery == 0 ? state.step : state.step - 1);
        } else {
            if (b.steps <= 0 && !(b.minutes > 0)) {
                throw new IllegalArgumentException(
                        "no checkpoint to resume in "
                                + checkpoint
                                + ": a new run needs a number of steps or a time budget (minutes)");
            }
            // the checkpoint of a run this one replaces must not be resumed as this run's
            DirectoryTransaction.deleteRecursively(checkpoint);
            state.totalSteps = b.steps;
            state.seed = b.seed == null ? 0 : b.seed;
        }
        Files.createDirectories(trainingDir);
        long totalSteps = state.totalSteps;
        long seed = state.seed;

        try (Model model = Model.newInstance("spikegpt")) {
            Engine.getInstance().setRandomSeed((int) seed); // the initial weights
            SpikeGptModel block =
                    resumed
                            ? ModelDirectory.loadLanguageModel(checkpoint, model.getNDManager())
                            : b.initialWeights != null
                                    ? ModelIO.loadLanguageModel(
                                            b.initialWeights.resolve(ModelDirectory.WEIGHTS),
                                            b.config,
                                            model.getNDManager())
                                    : new SpikeGptModel(b.config);
            model.setBlock(block);
            LanguageModelLoss loss = new LanguageModelLoss(b.l2wrap);
            LearningRateSchedule schedule =
                    new LearningRateSchedule(
                            b.learningRate, b.finalLearningRate, b.warmupSteps, totalSteps);
            PyTorchAdam adam = PyTorchAdam.builder().optLearningRateTracker(schedule).build();
            GradientClipping clipping = new GradientClipping(b.clipNorm);
            DefaultTrainingConfig trainingConfig =
                    new DefaultTrainingConfig(loss)
                            .optOptimizer(adam)
                            .addTrainingListeners(clipping);
            for (TrainingListener l : b.listeners) {
                trainingConfig.addTrainingListeners(l);
            }
            try (Trainer trainer = model.newTrainer(trainingConfig)) {
                trainer.initialize(new Shape(batch, ctx));
                if (resumed) {
                    adam.load(
                            block.namedParameters(),
                            checkpoint.resolve(OPTIMIZER),
                            model.getNDManager());
                    LOG.info("resumed from step {} of {}", state.step, totalSteps);
                }
                TokenWindowDataset trainData =
                        TokenWindowDataset.builder()
                                .setTokens(b.trainTokens)
                                .setWindow(ctx)
                                .optSeed(seed)
                                .optFirst(state.step * batch)
                                .optWindows(
                                        totalSteps > 0
                                                ? (totalSteps - state.step) * batch
                                                : Long.MAX_VALUE / 2)
                                .setSampling(batch, false)
                                .build();
                TokenWindowDataset validation = validationData(ctx);
                ParameterStore inference = new ParameterStore(model.getNDManager(), false);

                long start = System.nanoTime();
                double secondsBefore = state.seconds;
                long stepAtStart = state.step;
                String stoppedBy = "steps";
                ProgressBar bar =
                        b.progress && totalSteps > 0
                                ? new ProgressBar("Training", totalSteps)
                                : null;
                if (bar != null) {
                    bar.start(state.step);
                }
                SpikeMonitor spikes = SpikeMonitor.attach(block);
                spikes.detach();
                double lossSum = state.lossSum;
                int lossCount = state.lossCount;
                long intervalStart = System.nanoTime();
                long intervalSteps = 0;
                for (Batch data : trainer.iterateDataset(trainData)) {
                    // dropout masks depend only on (seed, step): resuming reproduces them
                    Engine.getInstance().setRandomSeed((int) (seed + 1 + state.step));
                    // the firing rates of each log row come from the interval's last batch: the
                    // monitor reads the spikes without changing them, and one batch in logEvery
                    // keeps its cost small
                    boolean sampleSpikes =
                            (state.step + 1) % b.logEvery == 0 || state.step + 1 == totalSteps;
                    if (sampleSpikes) {
                        spikes.attach();
                    }
                    TrainingStep.trainBatch(trainer, data);
                    spikes.detach();
                    trainer.step();
                    data.close();
                    state.step++;
                    intervalSteps++;
                    float value = loss.getLastValue();
                    if (!Float.isFinite(value)) {
                        throw new TrainingDivergedException(
                                String.format(
                                        Locale.ROOT,
                                        "training diverged at step %d: the loss is %s. %s",
                                        state.step,
                                        value,
                                        whatToDoAfterDivergence(checkpoint)));
                    }
                    lossSum += value;
                    lossCount++;
                    if (totalSteps == 0 && state.step == b.warmupSteps) {
                        // time budget only: the run's length follows from the measured step time
                        double perStep = (System.nanoTime() - start) / 1e9 / state.step;
                        totalSteps = Math.max(state.step + 1, (long) (b.minutes * 60 / perStep));
                        state.totalSteps = totalSteps;
                        schedule.setTotalSteps(totalSteps);
                        LOG.info(
                                "{} s per step: the {}-minute budget fits {} steps",
                                String.format(Locale.ROOT, "%.2f", perStep),
                                b.minutes,
                                totalSteps);
                        if (b.progress) {
                            bar = new ProgressBar("Training", totalSteps);
                            bar.start(state.step);
                        }
                    }
                    boolean last = state.step == totalSteps;
                    double elapsed = secondsBefore + (System.nanoTime() - start) / 1e9;
                    boolean outOfTime = b.minutes > 0 && elapsed >= b.minutes * 60.0;
                    boolean evaluate = last || outOfTime || state.step % b.evalEvery == 0;
                    // the partial interval a checkpoint carries over (the row below restarts it)
                    double pendingSum = state.step % b.logEvery == 0 ? 0 : lossSum;
                    int pendingCount = state.step % b.logEvery == 0 ? 0 : lossCount;
                    if (state.step % b.logEvery == 0 || evaluate) {
                        double seconds = (System.nanoTime() - intervalStart) / 1e9;
                        double tps = intervalSteps * (double) batch * ctx / seconds;
                        double mean = lossSum / lossCount;
                        double valBpc = Double.NaN;
                        if (evaluate) {
                            valBpc =
                                    LanguageModelEvaluation.evaluate(
                                                    block,
                                                    inference,
                                                    validation,
                                                    b.tokenizer,
                                                    b.evalBatchSize,
                                                    b.evalWindows,
                                                    null)
                                            .bitsPerCharacter();
                        }
                        log.add(
                                new TrainingLog.Row(
                                        state.step,
                                        state.step * batch * ctx,
                                        adam.learningRate(state.step),
                                        mean,
                                        mean / Math.log(2) * b.tokensPerCharacter,
                                        valBpc,
                                        clipping.getLastNorm(),
                                        tps,
                                        meanRate(spikes)));
                        if (evaluate) {
                            LOG.info("step {}: spike rates {}", state.step, formatRates(spikes));
                        }
                        spikes.reset();
                        String message =
                                String.format(
                                        Locale.ROOT,
                                        "loss %.3f  bpc %.3f%s  %.0f tok/s",
                                        mean,
                                        mean / Math.log(2) * b.tokensPerCharacter,
                                        Double.isNaN(valBpc)
                                                ? ""
                                                : String.format(
                                                        Locale.ROOT, "  val bpc %.3f", valBpc),
                                        tps);
                        if (bar != null) {
                            bar.update(state.step, message);
                        }
                        if (evaluate || bar == null) {
                            LOG.info("step {}/{}: {}", state.step, totalSteps, message);
                        }
                        lossSum = 0;
                        lossCount = 0;
                        intervalSteps = 0;
                        intervalStart = System.nanoTime();
                    }
                    if (last || outOfTime || state.step % b.checkpointEvery == 0) {
                        state.seconds = secondsBefore + (System.nanoTime() - start) / 1e9;
                        state.lossSum = pendingSum;
                        state.lossCount = pendingCount;
                        saveCheckpoint(checkpoint, block, adam, state, log);
                    }
                    if (outOfTime && !last) {
                        stoppedBy = "time";
                        LOG.info(
                                "time budget of {} minutes reached at step {}",
                                b.minutes,
                                state.step);
                        break;
                    }
                }
                if (bar != null) {
                    bar.end();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                state.seconds = secondsBefore + seconds;

                // the final model, its curves and a summary
                ModelDirectory.save(out, block, b.config, b.tokenizer, b.storage, null);
                log.save(trainingDir.resolve(LOG_CSV));
                log.plot(
                        trainingDir.resolve("bpc.png"),
                        String.format(
                                Locale.ROOT,
                                "%s: bits per character (validation %.3f)",
                                b.config,
                                log.lastValidationBpc()));
                LanguageModelEvaluation.Result finalEval =
                        LanguageModelEvaluation.evaluate(
                                block,
                                inference,
                                validation,
                                b.tokenizer,
                                b.evalBatchSize,
                                0,
                                null);
                Summary summary =
                        new Summary(
                                state.step,
                                state.step * batch * ctx,
                                state.seconds,
                                (state.step - stepAtStart) * (double) batch * ctx / seconds,
                                finalEval.bitsPerCharacter(),
                                finalEval.perplexity(),
                                stoppedBy);
                AtomicFiles.writeString(
                        trainingDir.resolve("summary.json"), GSON.toJson(summary) + "\n");
                return summary;
            }
        } catch (TranslateException e) {
            throw new IOException("reading the training data failed: " + e.getMessage(), e);
        }
    }

    /** Says which checkpoint survives a divergence, and how to go on from there. */
    private String whatToDoAfterDivergence(Path checkpoint) throws IOException {
        String lower =
                String.format(
                        Locale.ROOT,
                        "lower the learning rate (now %.2g) or raise the warm-up",
                        b.learningRate);
        Path saved = checkpoint.resolve("state.json");
        if (!Files.isRegularFile(saved)) {
            return "No checkpoint was written before it: " + lower + " and start again";
        }
        long step = GSON.fromJson(Files.readString(saved), State.class).step;
        return "The checkpoint of step "
                + step
                + " in "
                + checkpoint
                + " is intact: "
                + lower
                + ", then continue from it with --resume";
    }

    /**
     * The mean firing rate over the monitored LIF layers, NaN where nothing spiked (vanilla RWKV).
     */
    private static double meanRate(SpikeMonitor spikes) {
        SpikeStatistics stats = spikes.statistics();
        return stats.positions() == 0
                ? Double.NaN
                : stats.rates().values().stream()
                        .mapToDouble(Double::doubleValue)
                        .average()
                        .orElse(Double.NaN);
    }

    private static String formatRates(SpikeMonitor spikes) {
        StringJoiner j = new StringJoiner(" ");
        spikes.statistics()
                .rates()
                .forEach((k, v) -> j.add(String.format(Locale.ROOT, "%s=%.1f%%", k, 100 * v)));
        return j.toString();
    }

    private TokenWindowDataset validationData(int ctx) {
        return TokenWindowDataset.builder()
                .setTokens(b.validationTokens)
                .setWindow(ctx)
                .optMode(TokenWindowDataset.Mode.CONTIGUOUS)
                .setSampling(b.evalBatchSize, false)
                .build();
    }

    /**
     * Refuses to resume a checkpoint under settings that would silently train another run: a
     * different configuration or seed, or fewer steps than the checkpoint's run. More steps
     * lengthen the run.
     */
    private void checkResumable(Path checkpoint, State state) throws IOException {
        if (!ModelDirectory.config(checkpoint).equals(b.config)) {
            throw new IllegalArgumentException(
                    "the checkpoint in "
                            + checkpoint
                            + " was trained with a different configuration; "
                            + "resume with the same --config, or start a new run in another directory");
        }
        if (b.seed != null && b.seed != state.seed) {
            throw new IllegalArgumentException(
                    "the checkpoint in "
                            + checkpoint
                            + " was trained with seed "
                            + state.seed
                            + ", not "
                            + b.seed
                            + ": resume with --seed "
                            + state.seed
                            + " (or without --seed), or start a new run in another directory");
        }
        if (b.steps > 0 && b.steps < state.totalSteps) {
            throw new IllegalArgumentException(
                    "the run in "
                            + checkpoint.getParent()
                            + " is "
                            + state.totalSteps
                            + " steps long (at step "
                            + state.step
                            + "): resume with --steps "
                            + state.totalSteps
                            + " or more (or without --steps), or start a new run in another directory");
        }
        if (b.steps > state.totalSteps) {
            LOG.info("the run is lengthened from {} to {} steps", state.totalSteps, b.steps);
            state.totalSteps = b.steps;
        }
    }

    /**
     * Replaces the checkpoint as a whole: the model, the optimizer's moments, the log and the
     * position.
     */
    private void saveCheckpoint(
            Path checkpoint, SpikeGptModel block, PyTorchAdam adam, State state, TrainingLog log)
            throws IOException {
        try (DirectoryTransaction transaction = DirectoryTransaction.begin(checkpoint)) {
            Path staging = transaction.staging();
            Set<String> files =
                    new HashSet<>(
                            ModelDirectory.writeFiles(
                                    staging, block, b.config, b.tokenizer, DataType.FLOAT32, null));
            adam.save(block.namedParameters(), staging.resolve(OPTIMIZER));
            log.save(staging.resolve(LOG_CSV));
            AtomicFiles.writeString(staging.resolve(STATE), GSON.toJson(state) + "\n");
            files.addAll(List.of(OPTIMIZER, LOG_CSV, STATE));
            transaction.commit(files);
        }
    }

    /** Builds a {@link LanguageModelTrainer}; {@code set*} values are required. */
    public static final class Builder {
        private Path output;
        private SpikeGptConfig config;
        private Path initialWeights;
        private TextTokenizer tokenizer;
        private int[] trainTokens;
        private int[] validationTokens;
        private long steps;
        private double minutes;
        private int batchSize = 8;
        private float learningRate = 6e-4f;
        private float finalLearningRate = 1e-5f;
        private int warmupSteps;
        private float clipNorm = 1f;
        private boolean l2wrap = true;
        private Long seed;
        private int logEvery = 10;
        private int evalEvery = 200;
        private int evalBatchSize = 16;
        private long evalWindows;
        private int checkpointEvery = 100;
        private boolean resume;
        private boolean progress = true;
        private double tokensPerCharacter = 1;
        private DataType storage = DataType.FLOAT32;
        private final List<TrainingListener> listeners = new ArrayList<>();

        Builder() {}

        /**
         * @param dir the output directory @return this builder
         */
        public Builder setOutput(Path dir) {
            output = dir;
            return this;
        }

        /**
         * @param c the model configuration (its ctx_len is the training window) @return this
         *     builder
         */
        public Builder setConfig(SpikeGptConfig c) {
            config = c;
            return this;
        }

        /**
         * @param t the tokenizer, saved with the model @return this builder
         */
        public Builder setTokenizer(TextTokenizer t) {
            tokenizer = t;
            return this;
        }

        /**
         * @param train the training token stream
         * @param validation the validation token stream
         * @return this builder
         */
        public Builder setData(int[] train, int[] validation) {
            trainTokens = train;
            validationTokens = validation;
            return this;
        }

        /**
         * @param n the optimizer steps of the whole run (the schedule's length); 0 to derive it
         *     from the time budget and the step time measured during the warm-up. On resume, 0
         *     keeps the checkpoint's length, more steps lengthen the run, fewer are refused
         * @return this builder
         */
        public Builder setSteps(long n) {
            steps = n;
            return this;
        }

        /**
         * @param m stop after this many minutes (0 = no limit) @return this builder
         */
        public Builder optMinutes(double m) {
            minutes = m;
            return this;
        }

        /**
         * @param n sequences per step @return this builder
         */
        public Builder optBatchSize(int n) {
            batchSize = n;
            return this;
        }

        /**
         * @param peak the learning rate after the warm-up
         * @param last the learning rate at the end of the cosine decay
         * @return this builder
         */
        public Builder optLearningRate(float peak, float last) {
            learningRate = peak;
            finalLearningRate = last;
            return this;
        }

        /**
         * @param n linear warm-up steps @return this builder
         */
        public Builder optWarmupSteps(int n) {
            warmupSteps = n;
            return this;
        }

        /**
         * @param norm the global gradient norm limit @return this builder
         */
        public Builder optClipNorm(float norm) {
            clipNorm = norm;
            return this;
        }

        /**
         * @param on whether to add the L2Wrap term @return this builder
         */
        public Builder optL2Wrap(boolean on) {
            l2wrap = on;
            return this;
        }

        /**
         * @param s the seed of initialisation, data order and dropout (default: 0; a resumed run
         *     keeps its checkpoint's and refuses another)
         * @return this builder
         */
        public Builder optSeed(long s) {
            seed = s;
            return this;
        }

        /**
         * @param logEvery steps between log lines
         * @param evalEvery steps between validations
         * @param checkpointEvery steps between checkpoints
         * @return this builder
         */
        public Builder optIntervals(int logEvery, int evalEvery, int checkpointEvery) {
            this.logEvery = logEvery;
            this.evalEvery = evalEvery;
            this.checkpointEvery = checkpointEvery;
            return this;
        }

        /**
         * @param batch windows per validation forward pass
         * @param windows validation windows during training (0 = all; the final evaluation uses
         *     all)
         * @return this builder
         */
        public Builder optValidation(int batch, long windows) {
            evalBatchSize = batch;
            evalWindows = windows;
            return this;
        }

        /**
         * @param on whether to continue from the checkpoint in the output directory @return this
         *     builder
         */
        public Builder optResume(boolean on) {
            resume = on;
            return this;
        }

        /**
         * @param on whether to show a progress bar @return this builder
         */
        public Builder optProgressBar(boolean on) {
            progress = on;
            return this;
        }

        /**
         * @param r tokens per character of the corpus (1 for char-level), for training BPC @return
         *     this builder
         */
        public Builder optTokensPerCharacter(double r) {
            tokensPerCharacter = r;
            return this;
        }

        /**
         * @param type float32, or float16 for a smaller final model file @return this builder
         */
        public Builder optStorage(DataType type) {
            storage = type;
            return this;
        }

        /**
         * Starts from a trained model's weights instead of a fresh initialisation, e.g. to adapt a
         * pre-trained model to a domain's text. Its architecture must be the configuration's.
         *
         * @param modelDir a model directory
         * @return this builder
         */
        public Builder optInitialWeights(Path modelDir) {
            initialWeights = modelDir;
            return this;
        }

        /**
         * @param listener more DJL training listeners @return this builder
         */
        public Builder addListener(TrainingListener listener) {
            listeners.add(listener);
            return this;
        }

        /**
         * @return the trainer
         * @throws IllegalArgumentException for a missing or invalid setting
         */
        public LanguageModelTrainer build() {
            if (output == null
                    || config == null
                    || tokenizer == null
                    || trainTokens == null
                    || validationTokens == null) {
                throw new IllegalArgumentException(
                        "the trainer needs an output directory, a configuration, a tokenizer and data");
            }
            if (steps <= 0 && !(minutes > 0) && !resume) {
                throw new IllegalArgumentException(
                        "give a number of steps or a time budget (minutes)");
            }
            if (steps <= 0 && !resume && warmupSteps < 5) {
                throw new IllegalArgumentException(
                        "a run given only a time budget measures its speed during the warm-up: use at least 5 warm-up steps");
            }
            if (batchSize <= 0
                    || logEvery <= 0
                    || evalEvery <= 0
                    || checkpointEvery <= 0
                    || evalBatchSize <= 0) {
                throw new IllegalArgumentException("batch size and intervals must be > 0");
            }
            if (!(learningRate > 0) || !(finalLearningRate >= 0) || !(clipNorm > 0)) {
                throw new IllegalArgumentException(
                        "learning rates must be >= 0 (the peak > 0) and the clip norm > 0");
            }
            if (tokenizer.vocabSize() > config.getVocabSize()) {
                throw new IllegalArgumentException(
                        "the tokenizer has "
                                + tokenizer.vocabSize()
                                + " tokens but the configuration's vocab_size is "
                                + config.getVocabSize());
            }
            return new LanguageModelTrainer(this);
        }
    }
}
