package ai.spikegpt.inference;

import ai.djl.nn.Parameter;
import ai.spikegpt.model.SpikeGptClassifier;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.model.SpikeGptModel;
import java.util.Map;

/**
 * A loaded model's weights copied into Java arrays for {@link JavaSpikeGpt}: the matrices in a
 * {@link WeightFormat}, every vector in fp32, and the decay already as {@code w = -exp(time_decay)}
 * (computed as {@code nn.Wkv} computes it). The copy is taken once; the DJL model can be closed
 * afterwards.
 */
public final class JavaWeights {

    /** One block's weights (ln0 only in block 0). */
    record Layer(
            float[][] ln0,
            float[][] ln1,
            float[][] ln2,
            float[] decay,
            float[] first,
            float[] attMixK,
            float[] attMixV,
            float[] attMixR,
            Matrix attKey,
            Matrix attValue,
            Matrix attReceptance,
            Matrix attOutput,
            float[] ffnMixK,
            float[] ffnMixR,
            Matrix ffnKey,
            Matrix ffnReceptance,
            Matrix ffnValue) {}

    final SpikeGptConfig config;
    final WeightFormat format;
    final float[] embedding;
    final Layer[] layers;
    final float[][] lnOut;
    final Matrix head;
    final float[] classifierWeight;
    final float[] classifierBias;

    private JavaWeights(
            SpikeGptConfig config,
            WeightFormat format,
            Map<String, Parameter> p,
            boolean withHead,
            boolean classifier) {
        checkSupported(config);
        this.config = config;
        this.format = format;
        int c = config.getEmbeddingSize();
        int h = config.getFfnHiddenSize();
        embedding = values(p, "emb.weight");
        layers = new Layer[config.getLayers()];
        for (int i = 0; i < layers.length; i++) {
            String b = "blocks." + i + ".";
            float[] decay = values(p, b + "att.time_decay");
            for (int j = 0; j < decay.length; j++) {
                decay[j] = -(float) Math.exp(decay[j]);
            }
            layers[i] =
                    new Layer(
                            i == 0 ? norm(p, b + "ln0") : null,
                            norm(p, b + "ln1"),
                            norm(p, b + "ln2"),
                            decay,
                            values(p, b + "att.time_first"),
                            values(p, b + "att.time_mix_k"),
                            values(p, b + "att.time_mix_v"),
                            values(p, b + "att.time_mix_r"),
                            matrix(p, b + "att.key.weight", c, c),
                            matrix(p, b + "att.value.weight", c, c),
                            matrix(p, b + "att.receptance.weight", c, c),
                            matrix(p, b + "att.output.weight", c, c),
                            values(p, b + "ffn.time_mix_k"),
                            values(p, b + "ffn.time_mix_r"),
                            matrix(p, b + "ffn.key.weight", h, c),
                            matrix(p, b + "ffn.receptance.weight", c, c),
                            matrix(p, b + "ffn.value.weight", c, h));
        }
        lnOut = norm(p, "ln_out");
        head = withHead ? matrix(p, "head.weight", config.getVocabSize(), c) : null;
        classifierWeight = classifier ? values(p, "classifier.weight") : null;
        classifierBias = classifier ? values(p, "classifier.bias") : null;
    }

    /**
     * Copies a language model's weights.
     *
     * @param model a loaded language model
     * @param format how to store the matrices
     * @return the weights
     * @throws IllegalArgumentException if the model has learnable neuron parameters, which the Java
     *     engine does not run
     */
    public static JavaWeights of(SpikeGptModel model, WeightFormat format) {
        return new JavaWeights(model.getConfig(), format, model.namedParameters(), true, false);
    }

    /**
     * Copies a classifier's weights (without the generation head, which classification never uses).
     *
     * @param classifier a loaded classifier
     * @param format how to store the matrices
     * @return the weights
     * @throws IllegalArgumentException if the model has learnable neuron parameters
     */
    public static JavaWeights of(SpikeGptClassifier classifier, WeightFormat format) {
        return new JavaWeights(
                classifier.getConfig(), format, classifier.namedParameters(), false, true);
    }

    private static void checkSupported(SpikeGptConfig config) {
        if (config.isLearnableTau() || config.isLearnableThreshold()) {
            throw new IllegalArgumentException(
                    "the Java engine runs neurons with a fixed tau and threshold, this model learns"
                            + " them: use the DJL engine (--engine djl)");
        }
    }

    /**
     * @return the model's configuration
     */
    public SpikeGptConfig getConfig() {
        return config;
    }

    /**
     * @return the storage format of the matrices
     */
    public WeightFormat getFormat() {
        return format;
    }

    private static float[] values(Map<String, Parameter> p, String name) {
        Parameter parameter = p.get(name);
        if (parameter == null || !parameter.isInitialized()) {
            throw new IllegalArgumentException("the model has no loaded weight " + name);
        }
        return parameter.getArray().toFloatArray();
    }

    private static float[][] norm(Map<String, Parameter> p, String name) {
        return new float[][] {values(p, name + ".weight"), values(p, name + ".bias")};
    }

    private Matrix matrix(Map<String, Parameter> p, String name, int out, int in) {
        return Matrix.of(values(p, name), out, in, format);
    }
}
