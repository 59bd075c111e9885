package ai.spikegpt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.translate.Batchifier;
import ai.djl.translate.PaddingStackBatchifier;
import ai.djl.util.PairList;
import ai.spikegpt.nn.Tensors;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SpikeGPT for text classification (NLU): the language model's trunk, a mean over the real
 * (unpadded) positions of the {@code ln_out} output, and a Linear head with bias.
 *
 * <pre>
 *   h = LN_out(blocks(H(emb[tokens])))                    [B, T, C]
 *   pooled = sum_t mask[t] h[t] / sum_t mask[t]            [B, C]
 *   logits = W pooled + b                                  [B, n_classes]   (classifier.weight/bias)
 * </pre>
 *
 * Input {@code NDList(tokens [B, T], mask [B, T])} with mask 1 for real tokens and 0 for padding
 * (right padding: the model is causal, so padding cannot affect the real positions), or {@code
 * NDList(tokens)} for unpadded batches. Output {@code NDList(logits)}. The generation head stays in
 * the model (the classifier is still a language model) but gets no gradient.
 *
 * <p>Texts of any length: in inference, a batch longer than the chunk length (by default the
 * context length, see {@link #setChunkLength(int)}) is read in chunks, each from the recurrent
 * state the previous one ended in, and the sums above run over every real token of every chunk. The
 * mean is the whole text's, as in one pass, with the memory of one chunk.
 */
public final class SpikeGptClassifier extends AbstractBlock {

    private static final byte VERSION = 1;

    private final SpikeGptModel model;
    private final Linear classifier;
    private int chunkLength;

    /**
     * @param config a configuration with {@code n_classes >= 2}
     */
    public SpikeGptClassifier(SpikeGptConfig config) {
        super(VERSION);
        if (config.getClasses() < 2) {
            throw new IllegalArgumentException(
                    "a classifier needs n_classes >= 2 in its configuration, got "
                            + config.getClasses());
        }
        model = addChildBlock("model", new SpikeGptModel(config));
        classifier =
                addChildBlock("classifier", Linear.builder().setUnits(config.getClasses()).build());
        float bound = 1f / (float) Math.sqrt(config.getEmbeddingSize()); // PyTorch's Linear default
        classifier.setInitializer(new UniformInitializer(bound), Parameter.Type.WEIGHT);
        classifier.setInitializer(new UniformInitializer(bound), Parameter.Type.BIAS);
        SpikeGptModel.weight(model.head).freeze(true);
        chunkLength = config.getContextLength();
    }

    /**
     * Returns the mean of the hidden states over the real positions. In inference, a batch longer
     * than the chunk length is read chunk by chunk, see {@link #setChunkLength(int)}.
     *
     * @param ps the parameter store
     * @param tokens token ids {@code [B, T]}
     * @param mask 1 for real tokens, 0 for padding {@code [B, T]}, or null for none
     * @param training whether this is a training pass
     * @param recorder receives intermediate values, or null
     * @return the pooled hidden states {@code [B, C]}
     */
    public NDArray pooled(
            ParameterStore ps,
            NDArray tokens,
            NDArray mask,
            boolean training,
            ActivationRecorder recorder) {
        long length = tokens.getShape().get(1);
        NDArray m = mask == null ? null : mask.toType(DataType.FLOAT32, false);
        NDArray counts = m == null ? null : realTokenCounts(tokens, m);
        // Training reads the batch in one pass: the backward pass needs every position's
        // activations anyway, and training texts are cut short (LabeledTextDataset's maxTokens).
        NDArray sum =
                training || length <= chunkLength
                        ? maskedSum(model.hidden(ps, tokens, training, recorder), m)
                        : chunkedSum(ps, tokens, m, recorder);
        return sum.div(counts == null ? Tensors.scalar(sum.getManager(), length) : counts);
    }

    /**
     * Sets how many tokens inference reads at a time (by default the context length). SpikeGPT is
     * recurrent: a longer text is read in chunks of this length, each starting from the state the
     * previous one ended in, so texts of any length classify with the memory of one chunk. The
     * pooled mean still spans the whole text, every real token of every chunk.
     *
     * @param tokens the chunk length, at least 1
     */
    public void setChunkLength(int tokens) {
        if (tokens < 1) {
            throw new IllegalArgumentException("the chunk length must be >= 1, got " + tokens);
        }
        chunkLength = tokens;
    }

    /** Returns the number of real tokens of every row {@code [B, 1]}, after checking the mask. */
    private static NDArray realTokenCounts(NDArray tokens, NDArray mask) {
        if (!mask.getShape().equals(tokens.getShape())) {
            throw new IllegalArgumentException(
                    "the mask has shape " + mask.getShape() + ", the tokens " + tokens.getShape());
        }
        NDArray counts = mask.sum(new int[] {1}, true);
        if (counts.min().getFloat() <= 0f) {
            throw new IllegalArgumentException(
                    "every sequence needs at least one real token: a mask row is all padding");
        }
        return counts;
    }

    /**
     * Sums hidden states {@code [B, T, C]} over time, the real positions only if there is a mask.
     */
    private static NDArray maskedSum(NDArray hidden, NDArray mask) {
        NDArray real = mask == null ? hidden : hidden.mul(mask.expandDims(2));
        return real.sum(new int[] {1});
    }

    /**
     * Sums the hidden states of the real positions chunk by chunk, carrying the recurrent state
     * across the chunk boundaries, so the sum is the single pass's. Everything a chunk creates is
     * freed before the next one runs (its tokens and what derives from them with a sub-manager,
     * anything else with a scope): only the state and the running sum are carried. Padding is on
     * the right, so the state a row reaches in its padding is never used.
     */
    private NDArray chunkedSum(
            ParameterStore ps, NDArray tokens, NDArray mask, ActivationRecorder recorder) {
        long batch = tokens.getShape().get(0);
        long length = tokens.getShape().get(1);
        try (NDManager carried = tokens.getManager().newSubManager()) {
            SpikeGptState state = SpikeGptState.zeros(carried, getConfig(), (int) batch);
            NDArray sum = carried.zeros(new Shape(batch, getConfig().getEmbeddingSize()));
            for (long start = 0; start < length; start += chunkLength) {
                NDIndex chunk =
                        new NDIndex(":, {}:{}", start, Math.min(length, start + chunkLength));
                try (NDManager scratch = carried.newSubManager();
                        NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray chunkTokens = tokens.get(chunk);
                    chunkTokens.attach(scratch);
                    SpikeGptModel.Hidden out =
                            model.forwardHidden(ps, chunkTokens, state, false, recorder);
                    NDArray next =
                            sum.add(maskedSum(out.hidden(), mask == null ? null : mask.get(chunk)));
                    NDList kept = out.state().toNDList();
                    kept.add(next);
                    Tensors.keep(kept, carried);
                    state.close();
                    sum.close();
                    state = out.state();
                    sum = next;
                }
            }
            sum.attach(tokens.getManager());
            return sum;
        }
    }

    /**
     * Classifies a batch.
     *
     * @param ps the parameter store
     * @param tokens token ids {@code [B, T]}
     * @param mask 1 for real tokens, 0 for padding, or null
     * @param training whether this is a training pass
     * @return class logits {@code [B, n_classes]}
     */
    public NDArray classify(ParameterStore ps, NDArray tokens, NDArray mask, boolean training) {
        return TimeMix.apply(ps, classifier, pooled(ps, tokens, mask, training, null), training);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(
                classify(ps, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), model.getConfig().getClasses())};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        model.initialize(manager, dataType, new Shape(1, 1));
        classifier.initialize(
                manager, dataType, new Shape(1, model.getConfig().getEmbeddingSize()));
    }

    /**
     * Returns the batchifier of this block's inputs, {@code (tokens [T], mask [T])} per text: both
     * padded with zeros at the end to the batch's longest text, then stacked. The translator and
     * the training data use it alike, so training sees exactly what inference sees.
     *
     * @return the batchifier
     */
    public static Batchifier inputBatchifier() {
        return PaddingStackBatchifier.builder()
                .optIncludeValidLengths(false)
                .addPad(0, 0, m -> m.zeros(new Shape(1), DataType.INT64))
                .addPad(1, 0, m -> m.zeros(new Shape(1), DataType.FLOAT32))
                .build();
    }

    /**
     * @return the language model underneath
     */
    public SpikeGptModel getModel() {
        return model;
    }

    /**
     * @return the configuration
     */
    public SpikeGptConfig getConfig() {
        return model.getConfig();
    }

    /**
     * Returns the parameters under their original names, {@code classifier.weight/.bias} last.
     *
     * @return an ordered map from name to parameter
     */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>(model.namedParameters());
        out.put("classifier.weight", classifier.getParameters().get("weight"));
        out.put("classifier.bias", classifier.getParameters().get("bias"));
        return out;
    }
}
