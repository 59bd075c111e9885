package ai.spikegpt.translator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import ai.spikegpt.generate.SamplingConfig;
import ai.spikegpt.generate.SequenceModel;
import ai.spikegpt.generate.SpikeGptGenerator;
import ai.spikegpt.inference.JavaSpikeGpt;
import ai.spikegpt.inference.JavaWeights;
import ai.spikegpt.inference.WeightFormat;
import ai.spikegpt.model.SpikeGptModel;
import ai.spikegpt.model.SpikeGptState;
import ai.spikegpt.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Text generation as a DJL translator, {@code String -> String}: the prompt is tokenized and the
 * model block ({@link SpikeGptModel}) reads it in its parallel form, from the empty state to the
 * state after the prompt; then this translator's {@link SamplingConfig} drives the recurrent steps
 * ({@link SpikeGptGenerator}, on the pure-Java engine) and the new tokens are decoded. The output
 * is the continuation, without the prompt. The block only maps (tokens, state) to (logits, state):
 * generation, and the sampling settings, stay out of it.
 */
public class TextGenerationTranslator implements NoBatchifyTranslator<String, String> {

    protected final TextTokenizer tokenizer;
    protected final SamplingConfig sampling;
    protected final int maxPromptTokens;
    private SpikeGptModel javaModel;
    private JavaSpikeGpt java;

    /**
     * @param tokenizer the model's tokenizer
     * @param sampling how to sample (the tokenizer's end-of-text token, if any, is added as a stop)
     * @param maxPromptTokens the longest accepted prompt, in tokens
     */
    public TextGenerationTranslator(
            TextTokenizer tokenizer, SamplingConfig sampling, int maxPromptTokens) {
        this.tokenizer = tokenizer;
        this.sampling = sampling;
        this.maxPromptTokens = maxPromptTokens;
    }

    /** The prompt's tokens {@code [1, T]} and the empty state: the block's input. */
    @Override
    public NDList processInput(TranslatorContext ctx, String prompt) {
        if (prompt == null || prompt.isEmpty()) {
            throw new IllegalArgumentException("the prompt is empty: give some text to continue");
        }
        long[] ids = tokenizer.encode(prompt);
        if (ids.length > maxPromptTokens) {
            throw new IllegalArgumentException(
                    "the prompt has "
                            + ids.length
                            + " tokens, more than the limit of "
                            + maxPromptTokens
                            + " (translator argument maxPromptTokens)");
        }
        NDList input = new NDList(ctx.getNDManager().create(ids, new Shape(1, ids.length)));
        input.addAll(SpikeGptState.zeros(ctx.getNDManager(), model(ctx).getConfig(), 1).toNDList());
        return input;
    }

    @Override
    public String processOutput(TranslatorContext ctx, NDList prefill) {
        List<Long> generated = new ArrayList<>();
        try (SpikeGptGenerator.TokenIterator tokens = generate(ctx, prefill)) {
            tokens.forEachRemaining(generated::add);
        }
        return tokenizer.decode(generated.stream().mapToLong(Long::longValue).toArray());
    }

    /**
     * Continues after the block's pass over the prompt: the tokens, one recurrent step each.
     *
     * @param ctx the translator context (its block is the language model)
     * @param prefill the block's output for the prompt: logits {@code [1, T, V]} and the state
     * @return the generated tokens, lazily
     */
    SpikeGptGenerator.TokenIterator generate(TranslatorContext ctx, NDList prefill) {
        SpikeGptModel model = model(ctx);
        NDArray logits = prefill.head();
        NDArray last = logits.get(new NDIndex(":, -1"));
        SpikeGptState state = SpikeGptState.fromNDList(prefill.subNDList(1), model.getConfig());
        JavaSpikeGpt java = javaEngine(model);
        SequenceModel steps =
                java != null
                        ? SequenceModel.of(java)
                        : SequenceModel.of(model, new ParameterStore(ctx.getNDManager(), false));
        return new SpikeGptGenerator(steps).iterator(ctx.getNDManager(), state, last, sampling);
    }

    /**
     * The recurrent steps after the prompt run on the pure-Java engine (no native call a step),
     * over a copy of the block's weights taken on first use; null for a model it does not run
     * (learnable neuron parameters), which then steps through the DJL block.
     */
    private synchronized JavaSpikeGpt javaEngine(SpikeGptModel model) {
        if (javaModel != model) {
            javaModel = model;
            try {
                java = new JavaSpikeGpt(JavaWeights.of(model, WeightFormat.FP32));
            } catch (IllegalArgumentException e) {
                java = null;
            }
        }
        return java;
    }

    private static SpikeGptModel model(TranslatorContext ctx) {
        Block block = ctx.getModel().getBlock();
        if (!(block instanceof SpikeGptModel model)) {
            throw new IllegalArgumentException(
                    "text generation needs a SpikeGPT language model, got "
                            + (block == null ? "no block" : block.getClass().getSimpleName()));
        }
        return model;
    }

    /**
     * @return the sampling configuration
     */
    public SamplingConfig getSampling() {
        return sampling;
    }
}
