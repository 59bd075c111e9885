package ai.spikegpt.translator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import ai.spikegpt.generate.SamplingConfig;
import ai.spikegpt.tokenizer.TextTokenizer;

/**
 * Text generation as a DJL translator, {@code String -> String}: the prompt is tokenized, the
 * model's block ({@link ai.spikegpt.model.SpikeGptModel}) generates with this translator's {@link
 * SamplingConfig}, and the new tokens are decoded. The output is the continuation, without the
 * prompt.
 */
public class TextGenerationTranslator implements NoBatchifyTranslator<String, String> {

    protected final TextTokenizer tokenizer;
    protected final SamplingConfig sampling;
    protected final int maxPromptTokens;

    /**
     * @param tokenizer the model's tokenizer
     * @param sampling how to sample (the tokenizer's end-of-text token, if any, is added as a stop)
     * @param maxPromptTokens the longest accepted prompt, in tokens
     */
    public TextGenerationTranslator(TextTokenizer tokenizer, SamplingConfig sampling, int maxPromptTokens) {
        this.tokenizer = tokenizer;
        this.sampling = sampling;
        this.maxPromptTokens = maxPromptTokens;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, String prompt) {
        if (prompt == null || prompt.isEmpty()) {
            throw new IllegalArgumentException("the prompt is empty: give some text to continue");
        }
        long[] ids = tokenizer.encode(prompt);
        if (ids.length > maxPromptTokens) {
            throw new IllegalArgumentException("the prompt has " + ids.length + " tokens, more than the limit of "
                    + maxPromptTokens + " (translator argument maxPromptTokens)");
        }
        NDArray tokens = ctx.getNDManager().create(ids, new Shape(1, ids.length));
        return new NDList(tokens, sampling.toNDArray(ctx.getNDManager()));
    }

    @Override
    public String processOutput(TranslatorContext ctx, NDList list) {
        return tokenizer.decode(list.head().toLongArray());
    }

    /** @return the sampling configuration */
    public SamplingConfig getSampling() {
        return sampling;
    }
}
