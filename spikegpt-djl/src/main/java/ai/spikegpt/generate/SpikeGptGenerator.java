package ai.spikegpt.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.spikegpt.model.SpikeGptState;
import ai.spikegpt.nn.Tensors;
import ai.spikegpt.tokenizer.StreamingDecoder;
import ai.spikegpt.tokenizer.TextTokenizer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * Generates text with a SpikeGPT language model: the prompt is read in the parallel form (in chunks
 * of the context length, carrying the recurrent state, so prompts of any length work), then every
 * new token costs one recurrent step. Tokens are handed to a listener as they are produced.
 *
 * <pre>{@code
 * SpikeGptGenerator generator = new SpikeGptGenerator(SequenceModel.of(model, parameterStore));
 * generator.generate("ROMEO:", tokenizer, SamplingConfig.builder().optTemperature(0.8f).build(),
 *         System.out::print);
 * }</pre>
 *
 * Native memory is released step by step: however long it runs, a generation holds only the current
 * state and the last logits.
 */
public final class SpikeGptGenerator {

    /** Receives generated tokens; returning false stops the generation. */
    @FunctionalInterface
    public interface TokenListener {
        /**
         * @param token the new token
         * @return whether to continue
         */
        boolean onToken(long token);
    }

    private final SequenceModel model;

    /**
     * @param model the language model
     */
    public SpikeGptGenerator(SequenceModel model) {
        this.model = model;
    }

    /**
     * Generates tokens after a prompt.
     *
     * @param manager a manager for the generation's arrays (freed when the call returns)
     * @param prompt the prompt's token ids, at least one
     * @param config how to sample
     * @param listener receives each new token, or null
     * @return the generated tokens (without the prompt and without a stop token)
     * @throws IllegalArgumentException for an empty prompt or ids outside the vocabulary
     */
    public long[] generate(
            NDManager manager, long[] prompt, SamplingConfig config, TokenListener listener) {
        long[] out = new long[config.getMaxTokens()];
        int produced = 0;
        try (TokenIterator tokens = iterator(manager, prompt, config)) {
            while (tokens.hasNext()) {
                long token = tokens.next();
                out[produced++] = token;
                if (listener != null && !listener.onToken(token)) {
                    break;
                }
            }
        }
        return Arrays.copyOf(out, produced);
    }

    /**
     * Returns the generated tokens as an iterator that computes each token when asked for it (the
     * prompt is read on the first call). Close it to free its arrays early; it also frees them when
     * the generation ends.
     *
     * @param manager a manager for the generation's arrays
     * @param prompt the prompt's token ids, at least one
     * @param config how to sample
     * @return the lazy token stream
     * @throws IllegalArgumentException for an empty prompt
     */
    public TokenIterator iterator(NDManager manager, long[] prompt, SamplingConfig config) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt is empty: give at least one token");
        }
        return new TokenIterator(manager.newSubManager(), prompt.clone(), config);
    }

    /**
     * Returns the tokens generated after a prompt that has already been read, e.g. by the model
     * block of a DJL {@code Predictor} (its parallel form): generation continues from the state
     * after the prompt and the logits of its last position. The iterator takes both over and frees
     * them as it goes.
     *
     * @param manager a manager for the generation's arrays
     * @param state the state after the prompt
     * @param lastLogits the logits of the prompt's last position {@code [1, V]}
     * @param config how to sample
     * @return the lazy token stream
     */
    public TokenIterator iterator(
            NDManager manager, SpikeGptState state, NDArray lastLogits, SamplingConfig config) {
        TokenIterator tokens = new TokenIterator(manager.newSubManager(), null, config);
        NDList read = state.toNDList();
        read.add(lastLogits);
        Tensors.keep(read, tokens.session);
        tokens.state = state;
        tokens.logits = lastLogits;
        return tokens;
    }

    /** Generated tokens, one recurrent step per {@link #next()}. */
    public final class TokenIterator implements Iterator<Long>, AutoCloseable {
        private final NDManager session;
        private final long[] prompt;
        private final SamplingConfig config;
        private final TokenSampler sampler;
        private SpikeGptState state;
        private NDArray logits;
        private Long next;
        private long lastToken;
        private int produced;
        private boolean done;

        TokenIterator(NDManager session, long[] prompt, SamplingConfig config) {
            this.session = session;
            this.prompt = prompt;
            this.config = config;
            this.sampler = new TokenSampler(config);
        }

        @Override
        public boolean hasNext() {
            if (next == null && !done) {
                advance();
            }
            return next != null;
        }

        @Override
        public Long next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Long token = next;
            next = null;
            return token;
        }

        private void advance() {
            if (produced == config.getMaxTokens()) {
                close();
                return;
            }
            if (state == null) {
                readPrompt();
            } else if (produced > 0) {
                run(new long[] {lastToken});
            }
            long token = sampler.sample(logits.toFloatArray(), model.config().getVocabSize());
            if (config.isStop(token)) {
                close();
                return;
            }
            produced++;
            lastToken = token;
            next = token;
        }

        private void readPrompt() {
            int context = model.config().getContextLength();
            state = SpikeGptState.zeros(session, model.config(), 1);
            for (int start = 0; start < prompt.length; start += context) {
                run(Arrays.copyOfRange(prompt, start, Math.min(prompt.length, start + context)));
            }
        }

        /**
         * Runs tokens from the current state and replaces the state and the logits with the new
         * ones, freeing the old: a generation holds one step's arrays however long it runs.
         */
        private void run(long[] tokens) {
            SequenceModel.Step step = step(session, tokens, state);
            state.close();
            if (logits != null) {
                logits.close();
            }
            state = step.state();
            logits = step.logits();
        }

        @Override
        public void close() {
            if (!done) {
                done = true;
                session.close();
            }
        }
    }

    /**
     * Generates text after a text prompt, handing text pieces to a listener as they are produced.
     *
     * @param manager a manager for the generation's arrays
     * @param prompt the prompt
     * @param tokenizer the model's tokenizer
     * @param config how to sample
     * @param onText receives text pieces as they complete, or null
     * @return the generated text
     */
    public String generate(
            NDManager manager,
            String prompt,
            TextTokenizer tokenizer,
            SamplingConfig config,
            Consumer<String> onText) {
        StreamingDecoder decoder = tokenizer.newDecoder();
        StringBuilder text = new StringBuilder();
        generate(
                manager,
                tokenizer.encode(prompt),
                config,
                token -> {
                    String piece = decoder.add(token);
                    text.append(piece);
                    if (onText != null && !piece.isEmpty()) {
                        onText.accept(piece);
                    }
                    return true;
                });
        String rest = decoder.flush();
        text.append(rest);
        if (onText != null && !rest.isEmpty()) {
            onText.accept(rest);
        }
        return text.toString();
    }

    /**
     * Runs one chunk and moves only the logits and the new state to the session. Everything else
     * the step creates is freed when it returns: the input and what derives from it with the step's
     * own manager, and results computed from parameters alone (which DJL puts in the parameters'
     * manager) with the scope. The scope alone would not do: DJL does not register arrays created
     * from Java data, such as the input, in a scope.
     */
    private SequenceModel.Step step(NDManager session, long[] tokens, SpikeGptState state) {
        try (NDManager stepManager = session.newSubManager();
                NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            SequenceModel.Step step =
                    model.run(stepManager.create(tokens, new Shape(1, tokens.length)), state);
            NDList kept = step.state().toNDList();
            kept.add(step.logits());
            Tensors.keep(kept, session);
            return step;
        }
    }
}
