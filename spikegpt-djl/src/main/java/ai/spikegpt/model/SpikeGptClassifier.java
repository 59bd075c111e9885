package ai.spikegpt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
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
 * NDList(tokens)} for unpadded batches. Output {@code NDList(logits)}. The generation head stays
 * in the model (the classifier is still a language model) but gets no gradient.
 */
public final class SpikeGptClassifier extends AbstractBlock {

    private static final byte VERSION = 1;

    private final SpikeGptModel model;
    private final Linear classifier;

    /**
     * @param config a configuration with {@code n_classes >= 2}
     */
    public SpikeGptClassifier(SpikeGptConfig config) {
        super(VERSION);
        if (config.getClasses() < 2) {
            throw new IllegalArgumentException(
                    "a classifier needs n_classes >= 2 in its configuration, got " + config.getClasses());
        }
        model = addChildBlock("model", new SpikeGptModel(config));
        classifier = addChildBlock("classifier", Linear.builder().setUnits(config.getClasses()).build());
        float bound = 1f / (float) Math.sqrt(config.getEmbeddingSize()); // PyTorch's Linear default
        classifier.setInitializer(new UniformInitializer(bound), Parameter.Type.WEIGHT);
        classifier.setInitializer(new UniformInitializer(bound), Parameter.Type.BIAS);
        SpikeGptModel.weight(model.head).freeze(true);
    }

    /**
     * Returns the mean of the hidden states over the real positions.
     *
     * @param ps the parameter store
     * @param tokens token ids {@code [B, T]}
     * @param mask 1 for real tokens, 0 for padding {@code [B, T]}, or null for none
     * @param training whether this is a training pass
     * @param recorder receives intermediate values, or null
     * @return the pooled hidden states {@code [B, C]}
     */
    public NDArray pooled(ParameterStore ps, NDArray tokens, NDArray mask, boolean training, ActivationRecorder recorder) {
        NDArray h = model.hidden(ps, tokens, training, recorder);
        if (mask == null) {
            return h.mean(new int[] {1});
        }
        if (!mask.getShape().equals(tokens.getShape())) {
            throw new IllegalArgumentException(
                    "the mask has shape " + mask.getShape() + ", the tokens " + tokens.getShape());
        }
        NDArray m = mask.toType(DataType.FLOAT32, true);
        NDArray counts = m.sum(new int[] {1}, true);
        if (counts.min().getFloat() <= 0f) {
            throw new IllegalArgumentException(
                    "every sequence needs at least one real token: a mask row is all padding");
        }
        return h.mul(m.expandDims(2)).sum(new int[] {1}).div(counts);
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
        return new NDList(classify(ps, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), model.getConfig().getClasses())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        model.initialize(manager, dataType, new Shape(1, 1));
        classifier.initialize(manager, dataType, new Shape(1, model.getConfig().getEmbeddingSize()));
    }

    /** @return the language model underneath */
    public SpikeGptModel getModel() {
        return model;
    }

    /** @return the configuration */
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
