package ai.spikegpt.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.spikegpt.model.SpikeGptState;
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
     * @param manager a manager for the generation's arrays (freed when the call returns); null for
     *     a model whose sessions keep none (the Java engine's, {@code
     *     SequenceModel.of(JavaSpikeGpt)})
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
        return new TokenIterator(manager, prompt.clone(), config);
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
        TokenIterator tokens = new TokenIterator(manager, null, config);
        tokens.session = model.start(manager, state);
        tokens.logits = lastLogits.toFloatArray();
        lastLogits.close();
        return tokens;
    }

    /** Generated tokens, one recurrent step per {@link #next()}. */
    public final class TokenIterator implements Iterator<Long>, AutoCloseable {
        private final NDManager manager;
        private SequenceModel.Session session;
        private final long[] prompt;
        private final SamplingConfig config;
        private final TokenSampler sampler;
        private float[] logits;
        private Long next;
        private long lastToken;
        private int produced;
        private boolean done;

        TokenIterator(NDManager manager, long[] prompt, SamplingConfig config) {
            this.manager = manager;
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
            if (session == null) {
                readPrompt();
            } else if (produced > 0) {
                run(new long[] {lastToken});
            }
            long token = sampler.sample(logits, model.config().getVocabSize());
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
            session = model.start(manager, null);
            for (int start = 0; start < prompt.length; start += context) {
                run(Arrays.copyOfRange(prompt, start, Math.min(prompt.length, start + context)));
            }
        }

        /** Runs tokens from the current state; the session frees the previous step. */
        private void run(long[] tokens) {
            logits = session.run(tokens);
        }

        @Override
        public void close() {
            if (!done) {
                done = true;
                if (session != null) {
                    session.close();
                }
            }
        }
    }

    /**
     * Generates text after a text prompt, handing text pieces to a listener as they are produced.
     *
     * @param manager a manager for the generation's arrays; null for a model whose sessions keep
     *     none (the Java engine's)
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
}
