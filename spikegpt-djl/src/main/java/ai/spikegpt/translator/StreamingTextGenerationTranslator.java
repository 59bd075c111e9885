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
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

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
        // the block's stream is its one pass over the prompt; the tokens follow it lazily
        Stream<Long> tokens =
                outputs.flatMap(
                        prefill -> {
                            SpikeGptGenerator.TokenIterator generated =
                                    generation.generate(ctx, prefill);
                            return StreamSupport.stream(
                                            Spliterators.spliteratorUnknownSize(
                                                    generated, Spliterator.ORDERED),
                                            false)
                                    .onClose(generated::close);
                        });
        StreamingDecoder decoder = tokenizer.newDecoder();
        Stream<String> pieces =
                Stream.concat(tokens.map(decoder::add), Stream.of(0).map(x -> decoder.flush()))
                        .filter(s -> !s.isEmpty());
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
                    pieces.forEach(queue::add);
                } finally {
                    queue.add(END);
                }
            }

            @Override
            public Iterator<String> getIterativeOutputInternal() {
                return pieces.iterator();
            }
        };
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
