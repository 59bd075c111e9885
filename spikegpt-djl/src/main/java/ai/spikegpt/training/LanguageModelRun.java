package ai.spikegpt.training;

import ai.djl.Model;
import ai.djl.TrainingDivergedException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.util.ProgressBar;
import ai.djl.translate.TranslateException;
import ai.spikegpt.files.AtomicFiles;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.io.ModelIO;
import ai.spikegpt.model.SpikeGptModel;
import ai.spikegpt.training.TrainingCheckpoint.State;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a {@link LanguageModelTrainer}: the training loop. Each step trains a batch, then
 * checks the loss, logs an interval ({@link LogInterval}, with {@link SpikeRateSampler}),
 * evaluates, saves a {@link TrainingCheckpoint} and watches the {@link TimeBudget}.
 */
final class LanguageModelRun {

    private static final Logger LOG = LoggerFactory.getLogger(LanguageModelRun.class);

    private final LanguageModelTrainer.Builder b;
    private final int batch;
    private final int ctx;
    private final TrainingCheckpoint checkpoint;
    private State state = new State();
    private TrainingLog log = new TrainingLog();
    private boolean resumed;

    // the run's parts, made by train()
    private SpikeGptModel block;
    private LanguageModelLoss loss;
    private LearningRateSchedule schedule;
    private PyTorchAdam adam;
    private GradientClipping clipping;
    private TokenWindowDataset validation;
    private ParameterStore inference;
    private TimeBudget budget;
    private ProgressBar bar;
    private SpikeRateSampler spikes;
    private LogInterval interval;

    LanguageModelRun(LanguageModelTrainer.Builder settings) {
        b = settings;
        batch = b.batchSize;
        ctx = b.config.getContextLength();
        checkpoint = new TrainingCheckpoint(b.output);
    }

    /** Resumes the checkpoint's position, or starts a new run in place of any old checkpoint. */
    private void start() throws IOException {
        resumed = b.resume && checkpoint.exists();
        if (b.resume && !resumed) {
            LOG.info("no checkpoint in {}: starting a new run", checkpoint.dir());
        }
        if (resumed) {
            state = checkpoint.readState();
            checkpoint.checkResumable(state, b.config, b.seed, b.steps);
            log = checkpoint.readLog();
            // a row written when the run stopped mid-interval is replaced by the resumed interval's
            log.truncate(state.step % b.logEvery == 0 ? state.step : state.step - 1);
        } else {
            if (b.steps <= 0 && !(b.minutes > 0)) {
                throw new IllegalArgumentException(
                        "no checkpoint to resume in "
                                + checkpoint.dir()
                                + ": a new run needs a number of steps or a time budget (minutes)");
            }
            checkpoint.delete();
            state.totalSteps = b.steps;
            state.seed = b.seed == null ? 0 : b.seed;
        }
    }

    LanguageModelTrainer.Summary train() throws IOException {
        Path trainingDir = b.output.resolve("training");
        start();
        Files.createDirectories(trainingDir);
        try (Model model = Model.newInstance("spikegpt")) {
            Engine.getInstance().setRandomSeed((int) state.seed); // the initial weights
            block = initialModel(model.getNDManager());
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(trainingConfig())) {
                trainer.initialize(new Shape(batch, ctx));
                if (resumed) {
                    checkpoint.readOptimizer(adam, block, model.getNDManager());
                    LOG.info("resumed from step {} of {}", state.step, state.totalSteps);
                }
                TokenWindowDataset trainData = trainingData();
                validation = validationData();
                inference = new ParameterStore(model.getNDManager(), false);
                budget = new TimeBudget(b.minutes, state.seconds);
                long stepAtStart = state.step;
                String stoppedBy = "steps";
                bar = b.progress && state.totalSteps > 0 ? newBar() : null;
                spikes = new SpikeRateSampler(block);
                interval = new LogInterval(state.lossSum, state.lossCount);
                for (Batch data : trainer.iterateDataset(trainData)) {
                    trainBatch(trainer, data);
                    if (state.totalSteps == 0 && state.step == b.warmupSteps) {
                        fitToBudget();
                    }
                    // a run sized by its time budget knows its length only after the warm-up,
                    // while the data set was sized for more: the schedule's end is the run's end
                    boolean last = state.totalSteps > 0 && state.step >= state.totalSteps;
                    boolean outOfTime = budget.exhausted();
                    report(last || outOfTime);
                    if (last) {
                        break;
                    }
                    if (outOfTime) {
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
                double seconds = budget.processSeconds();
                state.seconds = budget.secondsBefore() + seconds;
                return finish(trainingDir, stepAtStart, seconds, stoppedBy);
            }
        } catch (TranslateException e) {
            throw new IOException("reading the training data failed: " + e.getMessage(), e);
        }
    }

    /** The checkpoint's model, the initial weights given, or a new initialisation. */
    private SpikeGptModel initialModel(NDManager manager) throws IOException {
        if (resumed) {
            return checkpoint.readModel(manager);
        }
        return b.initialWeights != null
                ? ModelIO.loadLanguageModel(
                        b.initialWeights.resolve(ModelDirectory.WEIGHTS), b.config, manager)
                : new SpikeGptModel(b.config);
    }

    /** The loss, Adam on the warm-up and cosine schedule, clipping and the caller's listeners. */
    private DefaultTrainingConfig trainingConfig() {
        loss = new LanguageModelLoss(b.l2wrap);
        schedule =
                new LearningRateSchedule(
                        b.learningRate, b.finalLearningRate, b.warmupSteps, state.totalSteps);
        adam = PyTorchAdam.builder().optLearningRateTracker(schedule).build();
        clipping = new GradientClipping(b.clipNorm);
        DefaultTrainingConfig trainingConfig =
                new DefaultTrainingConfig(loss).optOptimizer(adam).addTrainingListeners(clipping);
        for (TrainingListener l : b.listeners) {
            trainingConfig.addTrainingListeners(l);
        }
        return trainingConfig;
    }

    /** The training windows from the run's position on, drawn from its seed. */
    private TokenWindowDataset trainingData() {
        return TokenWindowDataset.builder()
                .setTokens(b.trainTokens)
                .setWindow(ctx)
                .optSeed(state.seed)
                .optFirst(state.step * batch)
                .optWindows(
                        state.totalSteps > 0
                                ? (state.totalSteps - state.step) * batch
                                : Long.MAX_VALUE / 2)
                .setSampling(batch, false)
                .build();
    }

    private ProgressBar newBar() {
        ProgressBar progress = new ProgressBar("Training", state.totalSteps);
        progress.start(state.step);
        return progress;
    }

    /** One optimizer step; a loss that is not finite stops the run, naming what survives. */
    private void trainBatch(Trainer trainer, Batch data) throws IOException {
        // dropout masks depend only on (seed, step): resuming reproduces them
        Engine.getInstance().setRandomSeed((int) (state.seed + 1 + state.step));
        spikes.beforeBatch(
                (state.step + 1) % b.logEvery == 0 || state.step + 1 == state.totalSteps);
        TrainingStep.trainBatch(trainer, data);
        spikes.afterBatch();
        trainer.step();
        data.close();
        state.step++;
        float value = loss.getLastValue();
        if (!Float.isFinite(value)) {
            throw new TrainingDivergedException(
                    String.format(
                            Locale.ROOT,
                            "training diverged at step %d: the loss is %s. %s",
                            state.step,
                            value,
                            checkpoint.whatToDoAfterDivergence(b.learningRate)));
        }
        interval.add(value);
    }

    /** Time budget only: the run's length follows from the step time measured in the warm-up. */
    private void fitToBudget() {
        double perStep = budget.secondsPerStep(state.step);
        state.totalSteps = budget.stepsThatFit(state.step, perStep);
        schedule.setTotalSteps(state.totalSteps);
        LOG.info(
                "{} s per step: the {}-minute budget fits {} steps",
                String.format(Locale.ROOT, "%.2f", perStep),
                b.minutes,
                state.totalSteps);
        if (b.progress) {
            bar = newBar();
        }
    }

    /**
     * After a step: a log row at the end of an interval, a validation every {@code evalEvery}
     * steps, a checkpoint every {@code checkpointEvery}; each also when the run ends.
     *
     * @param ending whether this is the run's last step (its length or its time is up)
     */
    private void report(boolean ending) throws IOException, TranslateException {
        boolean evaluate = ending || state.step % b.evalEvery == 0;
        // the partial interval a checkpoint carries over (the row below restarts it)
        boolean rowDue = state.step % b.logEvery == 0;
        double pendingSum = rowDue ? 0 : interval.lossSum();
        int pendingCount = rowDue ? 0 : interval.lossCount();
        if (rowDue || evaluate) {
            double tps = interval.tokensPerSecond((long) batch * ctx);
            double valBpc =
                    evaluate
                            ? LanguageModelEvaluation.evaluate(
                                            block,
                                            inference,
                                            validation,
                                            b.tokenizer,
                                            b.evalBatchSize,
                                            b.evalWindows,
                                            null)
                                    .bitsPerCharacter()
                            : Double.NaN;
            logRow(tps, valBpc, evaluate);
            interval.restart();
        }
        if (ending || state.step % b.checkpointEvery == 0) {
            state.seconds = budget.runSeconds();
            state.lossSum = pendingSum;
            state.lossCount = pendingCount;
            checkpoint.save(block, b.config, b.tokenizer, adam, state, log);
        }
    }

    /**
     * Adds a log row for the interval just ended (its throughput measured before the evaluation)
     * and reports it.
     */
    private void logRow(double tps, double valBpc, boolean evaluated) {
        double mean = interval.meanLoss();
        double bpc = mean / Math.log(2) * b.tokensPerCharacter;
        log.add(
                new TrainingLog.Row(
                        state.step,
                        state.step * batch * ctx,
                        adam.learningRate(state.step),
                        mean,
                        bpc,
                        valBpc,
                        clipping.getLastNorm(),
                        tps,
                        spikes.meanRate()));
        if (evaluated) {
            LOG.info("step {}: spike rates {}", state.step, spikes.formatRates());
        }
        spikes.reset();
        String message =
                String.format(
                        Locale.ROOT,
                        "loss %.3f  bpc %.3f%s  %.0f tok/s",
                        mean,
                        bpc,
                        Double.isNaN(valBpc)
                                ? ""
                                : String.format(Locale.ROOT, "  val bpc %.3f", valBpc),
                        tps);
        if (bar != null) {
            bar.update(state.step, message);
        }
        if (evaluated || bar == null) {
            LOG.info("step {}/{}: {}", state.step, state.totalSteps, message);
        }
    }

    /** Saves the final model, its curves and a summary after a last full evaluation. */
    private LanguageModelTrainer.Summary finish(
            Path trainingDir, long stepAtStart, double seconds, String stoppedBy)
            throws IOException, TranslateException {
        ModelDirectory.save(b.output, block, b.config, b.tokenizer, b.storage, null);
        log.save(trainingDir.resolve("log.csv"));
        log.plot(
                trainingDir.resolve("bpc.png"),
                String.format(
                        Locale.ROOT,
                        "%s: bits per character (validation %.3f)",
                        b.config,
                        log.lastValidationBpc()));
        LanguageModelEvaluation.Result finalEval =
                LanguageModelEvaluation.evaluate(
                        block, inference, validation, b.tokenizer, b.evalBatchSize, 0, null);
        LanguageModelTrainer.Summary summary =
                new LanguageModelTrainer.Summary(
                        state.step,
                        state.step * batch * ctx,
                        state.seconds,
                        (state.step - stepAtStart) * (double) batch * ctx / seconds,
                        finalEval.bitsPerCharacter(),
                        finalEval.perplexity(),
                        stoppedBy);
        AtomicFiles.writeString(
                trainingDir.resolve("summary.json"),
                TrainingCheckpoint.GSON.toJson(summary) + "\n");
        return summary;
    }

    private TokenWindowDataset validationData() {
        return TokenWindowDataset.builder()
                .setTokens(b.validationTokens)
                .setWindow(ctx)
                .optMode(TokenWindowDataset.Mode.CONTIGUOUS)
                .setSampling(b.evalBatchSize, false)
                .build();
    }
}
