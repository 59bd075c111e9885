package ai.spikegpt.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.Progress;
import ai.spikegpt.model.SpikeGptModel;
import ai.spikegpt.tokenizer.TextTokenizer;

/**
 * Measures a language model on held-out text: mean cross-entropy per token, bits per character and
 * perplexity, over the contiguous windows of a {@link TokenWindowDataset} (each window read from an
 * empty state, as in training).
 *
 * <pre>
 *   BPC = (sum of -ln p(target)) / (characters of the targets) / ln 2,    PPL = exp(nats / token)
 * </pre>
 *
 * For a character-level model one token is one character, so BPC is the loss in bits.
 */
public final class LanguageModelEvaluation {

    private LanguageModelEvaluation() {}

    /**
     * The totals of an evaluation.
     *
     * @param tokens the number of predicted tokens
     * @param characters the number of characters they decode to
     * @param nats the summed negative log-likelihood
     */
    public record Result(long tokens, long characters, double nats) {
        /**
         * @return the mean cross-entropy per token (nats)
         */
        public double natsPerToken() {
            return nats / tokens;
        }

        /**
         * @return bits per character
         */
        public double bitsPerCharacter() {
            return nats / characters / Math.log(2);
        }

        /**
         * @return perplexity per token
         */
        public double perplexity() {
            return Math.exp(natsPerToken());
        }
    }

    /**
     * Evaluates a model.
     *
     * @param model the language model
     * @param ps a parameter store
     * @param data contiguous evaluation windows
     * @param tokenizer the tokenizer, to count characters
     * @param batchSize windows per forward pass
     * @param maxWindows the most windows to evaluate (the first ones), or 0 for all
     * @param progress reports progress, or null
     * @return the totals
     */
    public static Result evaluate(
            SpikeGptModel model,
            ParameterStore ps,
            TokenWindowDataset data,
            TextTokenizer tokenizer,
            int batchSize,
            long maxWindows,
            Progress progress) {
        long windows = maxWindows > 0 ? Math.min(maxWindows, data.size()) : data.size();
        int window = data.getWindow();
        long tokens = 0;
        long characters = 0;
        double nats = 0;
        if (progress != null) {
            progress.reset("Evaluating", windows);
        }
        NDManager manager = ps.getManager();
        for (long first = 0; first < windows; first += batchSize) {
            int batch = (int) Math.min(batchSize, windows - first);
            long[] input = new long[batch * window];
            long[] target = new long[batch * window];
            for (int b = 0; b < batch; b++) {
                int[] span = data.span(first + b);
                long[] targets = new long[window];
                for (int i = 0; i < window; i++) {
                    input[b * window + i] = span[i];
                    targets[i] = span[i + 1];
                }
                System.arraycopy(targets, 0, target, b * window, window);
                String text = tokenizer.decode(targets);
                characters += text.codePointCount(0, text.length());
            }
            try (NDManager scope = manager.newSubManager();
                    NDScope ndScope = new NDScope()) {
                ndScope.suppressNotUsedWarning();
                NDArray x = scope.create(input, new Shape(batch, window));
                NDArray y = scope.create(target, new Shape(batch * window, 1));
                NDArray logits = model.forward(ps, x, null, false, null).logits();
                NDArray logp = logits.reshape(batch * window, -1).logSoftmax(1);
                nats -= logp.gather(y, 1).sum().getFloat();
            }
            tokens += (long) batch * window;
            if (progress != null) {
                progress.increment(batch);
            }
        }
        if (progress != null) {
            progress.end();
        }
        return new Result(tokens, Math.max(characters, 1), nats);
    }
}
