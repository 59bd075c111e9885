package ai.spikegpt.training;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.spikegpt.files.AtomicFiles;
import ai.spikegpt.io.DirectoryTransaction;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.model.SpikeGptModel;
import ai.spikegpt.tokenizer.TextTokenizer;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoint of a language-model run, {@code OUT/checkpoint/}: the model, the optimizer's
 * moments ({@code optimizer.safetensors}), the log so far ({@code log.csv}) and the position
 * ({@code state.json}). It is replaced as a whole ({@link DirectoryTransaction}): a kill at any
 * moment leaves the previous checkpoint or the new one, and never no checkpoint.
 */
final class TrainingCheckpoint {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingCheckpoint.class);
    static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();
    private static final String STATE = "state.json";
    private static final String OPTIMIZER = "optimizer.safetensors";
    private static final String LOG_CSV = "log.csv";

    private final Path dir;

    /** The resumable position of a run (state.json of a checkpoint). */
    static final class State {
        long step;
        long totalSteps;
        long seed;
        double seconds;
        double lossSum; // the losses of a log interval cut short by the checkpoint
        int lossCount;
    }

    /**
     * @param out the run's output directory
     */
    TrainingCheckpoint(Path out) {
        dir = out.resolve("checkpoint");
    }

    /**
     * @return the checkpoint directory
     */
    Path dir() {
        return dir;
    }

    /**
     * Returns whether there is a checkpoint to resume, after finishing a checkpoint write that a
     * kill interrupted.
     */
    boolean exists() throws IOException {
        recoverLegacySwap();
        if (Files.isDirectory(dir)) {
            DirectoryTransaction.recover(dir);
        }
        return Files.isRegularFile(dir.resolve(STATE));
    }

    /**
     * Earlier versions swapped a whole {@code checkpoint.partial} folder in through {@code
     * checkpoint.old}; a kill between the two renames left no {@code checkpoint}: the old one is
     * put back (the partial one may be incomplete).
     */
    private void recoverLegacySwap() throws IOException {
        Path old = dir.resolveSibling(dir.getFileName() + ".old");
        if (!Files.exists(dir) && Files.isRegularFile(old.resolve(STATE))) {
            Files.move(old, dir, StandardCopyOption.ATOMIC_MOVE);
        }
        DirectoryTransaction.deleteRecursively(old);
        DirectoryTransaction.deleteRecursively(dir.resolveSibling(dir.getFileName() + ".partial"));
    }

    /** Removes the checkpoint of a run a new one replaces: it must not be resumed as its own. */
    void delete() throws IOException {
        DirectoryTransaction.deleteRecursively(dir);
    }

    State readState() throws IOException {
        return GSON.fromJson(Files.readString(dir.resolve(STATE)), State.class);
    }

    TrainingLog readLog() throws IOException {
        return TrainingLog.load(dir.resolve(LOG_CSV));
    }

    SpikeGptModel readModel(NDManager manager) throws IOException {
        return ModelDirectory.loadLanguageModel(dir, manager);
    }

    void readOptimizer(PyTorchAdam adam, SpikeGptModel block, NDManager manager)
            throws IOException {
        adam.load(block.namedParameters(), dir.resolve(OPTIMIZER), manager);
    }

    /** Replaces the checkpoint as a whole: the model, the optimizer, the log and the position. */
    void save(
            SpikeGptModel block,
            SpikeGptConfig config,
            TextTokenizer tokenizer,
            PyTorchAdam adam,
            State state,
            TrainingLog log)
            throws IOException {
        try (DirectoryTransaction transaction = DirectoryTransaction.begin(dir)) {
            Path staging = transaction.staging();
            Set<String> files =
                    new HashSet<>(
                            ModelDirectory.writeFiles(
                                    staging, block, config, tokenizer, DataType.FLOAT32, null));
            adam.save(block.namedParameters(), staging.resolve(OPTIMIZER));
            log.save(staging.resolve(LOG_CSV));
            AtomicFiles.writeString(staging.resolve(STATE), GSON.toJson(state) + "\n");
            files.addAll(List.of(OPTIMIZER, LOG_CSV, STATE));
            transaction.commit(files);
        }
    }

    /** Says which checkpoint survives a divergence, and how to go on from there. */
    String whatToDoAfterDivergence(float learningRate) throws IOException {
        String lower =
                String.format(
                        Locale.ROOT,
                        "lower the learning rate (now %.2g) or raise the warm-up",
                        learningRate);
        Path saved = dir.resolve(STATE);
        if (!Files.isRegularFile(saved)) {
            return "No checkpoint was written before it: " + lower + " and start again";
        }
        long step = readState().step;
        return "The checkpoint of step "
                + step
                + " in "
                + dir
                + " is intact: "
                + lower
                + ", then continue from it with --resume";
    }

    /**
     * Refuses to resume under settings that would silently train another run: a different
     * configuration or seed, or fewer steps than the checkpoint's run. More steps lengthen the run.
     *
     * @param state the checkpoint's position; its length is changed to {@code steps} if longer
     * @param config the configuration asked for
     * @param seed the seed asked for, null for the checkpoint's
     * @param steps the run length asked for, 0 for the checkpoint's
     */
    void checkResumable(State state, SpikeGptConfig config, Long seed, long steps)
            throws IOException {
        if (!ModelDirectory.config(dir).equals(config)) {
            throw new IllegalArgumentException(
                    "the checkpoint in "
                            + dir
                            + " was trained with a different configuration; "
                            + "resume with the same --config, or start a new run in another directory");
        }
        if (seed != null && seed != state.seed) {
            throw new IllegalArgumentException(
                    "the checkpoint in "
                            + dir
                            + " was trained with seed "
                            + state.seed
                            + ", not "
                            + seed
                            + ": resume with --seed "
                            + state.seed
                            + " (or without --seed), or start a new run in another directory");
        }
        if (steps > 0 && steps < state.totalSteps) {
            throw new IllegalArgumentException(
                    "the run in "
                            + dir.getParent()
                            + " is "
                            + state.totalSteps
                            + " steps long (at step "
                            + state.step
                            + "): resume with --steps "
                            + state.totalSteps
                            + " or more (or without --steps), or start a new run in another directory");
        }
        if (steps > state.totalSteps) {
            LOG.info("the run is lengthened from {} to {} steps", state.totalSteps, steps);
            state.totalSteps = steps;
        }
    }
}
