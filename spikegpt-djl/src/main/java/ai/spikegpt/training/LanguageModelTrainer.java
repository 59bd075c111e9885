package ai.spikegpt.training;

import ai.djl.ndarray.types.DataType;
import ai.djl.training.listener.TrainingListener;
import ai.spikegpt.io.DirectoryTransaction;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
 *
 * <p>This class holds the settings; the loop is {@link LanguageModelRun}'s, the checkpoint {@link
 * TrainingCheckpoint}'s.
 */
public final class LanguageModelTrainer {

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

    /**
     * Returns whether an output directory holds a checkpoint to resume, after finishing a
     * checkpoint write that a kill interrupted.
     *
     * @param out a training output directory
     * @return whether {@link Builder#optResume} would continue from a checkpoint there
     * @throws IOException if an interrupted checkpoint write cannot be finished
     */
    public static boolean hasCheckpoint(Path out) throws IOException {
        return new TrainingCheckpoint(out).exists();
    }

    /**
     * Runs the training.
     *
     * @return the summary
     * @throws IOException if the output cannot be written or a checkpoint read
     */
    public Summary train() throws IOException {
        return new LanguageModelRun(b).train();
    }

    /** Builds a {@link LanguageModelTrainer}; {@code set*} values are required. */
    public static final class Builder {
        Path output;
        SpikeGptConfig config;
        Path initialWeights;
        TextTokenizer tokenizer;
        int[] trainTokens;
        int[] validationTokens;
        long steps;
        double minutes;
        int batchSize = 8;
        float learningRate = 6e-4f;
        float finalLearningRate = 1e-5f;
        int warmupSteps;
        float clipNorm = 1f;
        boolean l2wrap = true;
        Long seed;
        int logEvery = 10;
        int evalEvery = 200;
        int evalBatchSize = 16;
        long evalWindows;
        int checkpointEvery = 100;
        boolean resume;
        boolean progress = true;
        double tokensPerCharacter = 1;
        DataType storage = DataType.FLOAT32;
        final List<TrainingListener> listeners = new ArrayList<>();

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
