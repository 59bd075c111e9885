package ai.spikegpt.translator;

import ai.djl.inference.streaming.StreamingTranslator;
import ai.djl.ndarray.NDList;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslatorContext;
import ai.spikegpt.generate.SamplingConfig;
import ai.spikegpt.generate.SpikeGptGenerator;
import ai.spikegpt.tokenizer.StreamingDecoder;
import ai.spikegpt.tokenizer.TextTokenizer;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;

/**
 * Streaming text generation, {@code String -> Iterator<String>}: with {@code
 * predictor.streamingPredict(prompt).getIterativeOutput()} the text arrives piece by piece as the
 * model produces tokens (pieces never split a character); the asynchronous form ({@code
 * getAsyncOutput()} read on one thread while {@code computeAsyncOutput()} runs on another) works
 * too, and {@code predict} returns an iterator over the whole continuation at once.
 */
public class StreamingTextGenerationTranslator
        implements StreamingTranslator<String, Iterator<String>> {

    private static final String END = new String("end of stream"); // identity marks the end

    private final TextGenerationTranslator generation;
    private final TextTokenizer tokenizer;

    /**
     * @param tokenizer the model's tokenizer
     * @param sampling how to sample
     * @param maxPromptTokens the longest accepted prompt, in tokens
     */
    public StreamingTextGenerationTranslator(
            TextTokenizer tokenizer, SamplingConfig sampling, int maxPromptTokens) {
        this.generation = new TextGenerationTranslator(tokenizer, sampling, maxPromptTokens);
        this.tokenizer = tokenizer;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, String prompt) {
        return generation.processInput(ctx, prompt);
    }

    @Override
    public Iterator<String> processOutput(TranslatorContext ctx, NDList list) {
        return List.of(generation.processOutput(ctx, list)).iterator();
    }

    @Override
    public StreamOutput<Iterator<String>> processStreamOutput(
            TranslatorContext ctx, Stream<NDList> outputs) {
        Iterator<String> pieces = new Pieces(ctx, outputs);
        return new StreamOutput<>() {
            private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();

            @Override
            protected Iterator<String> buildAsyncOutput() {
                return new Iterator<>() {
                    private String next;

                    @Override
                    public boolean hasNext() {
                        if (next == null) {
                            try {
                                next = queue.take();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return false;
                            }
                        }
                        return next != END;
                    }

                    @Override
                    public String next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        String piece = next;
                        next = null;
                        return piece;
                    }
                };
            }

            @Override
            protected void computeAsyncOutputInternal(Iterator<String> output) {
                try {
                    pieces.forEachRemaining(queue::add);
                } finally {
                    queue.add(END);
                }
            }

            @Override
            public Iterator<String> getIterativeOutputInternal() {
                return pieces;
            }
        };
    }

    /**
     * The decoded pieces, each produced only when it is asked for: one recurrent step per token
     * after the block's pass over the prompt, decoded piece by piece (pieces never split a
     * character; empty ones are skipped), the decoder's remainder last. An iterator of its own, as
     * {@code Stream.flatMap(...).iterator()} would run the whole generation at the first {@code
     * hasNext}.
     */
    private final class Pieces implements Iterator<String> {

        private final TranslatorContext ctx;
        private final Stream<NDList> outputs;
        private final Iterator<NDList> prefills;
        private final StreamingDecoder decoder = tokenizer.newDecoder();
        private SpikeGptGenerator.TokenIterator tokens;
        private boolean flushed;
        private String next;

        Pieces(TranslatorContext ctx, Stream<NDList> outputs) {
            this.ctx = ctx;
            this.outputs = outputs;
            this.prefills = outputs.iterator();
        }

        @Override
        public boolean hasNext() {
            while (next == null) {
                if (tokens != null && tokens.hasNext()) {
                    next = nonEmpty(decoder.add(tokens.next()));
                } else if (tokens != null) {
                    tokens.close();
                    tokens = null;
                } else if (prefills.hasNext()) {
                    tokens = generation.generate(ctx, prefills.next());
                } else if (!flushed) {
                    flushed = true;
                    next = nonEmpty(decoder.flush());
                } else {
                    outputs.close();
                    return false;
                }
            }
            return true;
        }

        @Override
        public String next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            String piece = next;
            next = null;
            return piece;
        }

        private static String nonEmpty(String piece) {
            return piece.isEmpty() ? null : piece;
        }
    }

    @Override
    public Support getSupport() {
        return Support.BOTH;
    }

    @Override
    public Batchifier getBatchifier() {
        return null; // one prompt at a time
    }
}
