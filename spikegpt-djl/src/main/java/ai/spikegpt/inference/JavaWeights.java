package ai.spikegpt.inference;

import ai.djl.nn.Parameter;
import ai.spikegpt.model.SpikeGptClassifier;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.model.SpikeGptModel;
import java.util.Map;

/**
 * A model's weights in Java arrays for {@link JavaSpikeGpt}: the matrices in a {@link
 * WeightFormat}, every vector in fp32, and the decay already as {@code w = -exp(time_decay)}
 * (computed as {@code nn.Wkv} computes it). They are read once from a {@link WeightSource}: a model
 * directory's file (no native engine involved) or a loaded DJL model, which can be closed
 * afterwards. Every weight's size is checked against the configuration; each matrix is read and
 * stored in its format one at a time, so loading holds at most one weight twice.
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
            WeightSource p,
            boolean withHead,
            boolean classifier) {
        checkSupported(config);
        if (classifier && config.getClasses() < 2) {
            throw new IllegalArgumentException(
                    "the configuration has no classification head (n_classes = "
                            + config.getClasses()
                            + ")");
        }
        this.config = config;
        this.format = format;
        int c = config.getEmbeddingSize();
        int h = config.getFfnHiddenSize();
        embedding = values(p, "emb.weight", (long) config.getVocabSize() * c);
        layers = new Layer[config.getLayers()];
        for (int i = 0; i < layers.length; i++) {
            String b = "blocks." + i + ".";
            float[] decay = values(p, b + "att.time_decay", c);
            for (int j = 0; j < decay.length; j++) {
                decay[j] = -(float) Math.exp(decay[j]);
            }
            layers[i] =
                    new Layer(
                            i == 0 ? norm(p, b + "ln0", c) : null,
                            norm(p, b + "ln1", c),
                            norm(p, b + "ln2", c),
                            decay,
                            values(p, b + "att.time_first", c),
                            values(p, b + "att.time_mix_k", c),
                            values(p, b + "att.time_mix_v", c),
                            values(p, b + "att.time_mix_r", c),
                            matrix(p, b + "att.key.weight", c, c),
                            matrix(p, b + "att.value.weight", c, c),
                            matrix(p, b + "att.receptance.weight", c, c),
                            matrix(p, b + "att.output.weight", c, c),
                            values(p, b + "ffn.time_mix_k", c),
                            values(p, b + "ffn.time_mix_r", c),
                            matrix(p, b + "ffn.key.weight", h, c),
                            matrix(p, b + "ffn.receptance.weight", c, c),
                            matrix(p, b + "ffn.value.weight", c, h));
        }
        lnOut = norm(p, "ln_out", c);
        head = withHead ? matrix(p, "head.weight", config.getVocabSize(), c) : null;
        int classes = config.getClasses();
        classifierWeight = classifier ? values(p, "classifier.weight", (long) classes * c) : null;
        classifierBias = classifier ? values(p, "classifier.bias", classes) : null;
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
        return languageModel(model.getConfig(), source(model.namedParameters()), format);
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
        return classifier(classifier.getConfig(), source(classifier.namedParameters()), format);
    }

    /**
     * Reads a language model's weights ({@code emb}, the blocks, {@code ln_out}, {@code head}).
     *
     * @param config the model's configuration
     * @param source the weights by PyTorch name
     * @param format how to store the matrices
     * @return the weights
     * @throws IllegalArgumentException if a weight is missing or has the wrong size, or the model
     *     has learnable neuron parameters
     */
    public static JavaWeights languageModel(
            SpikeGptConfig config, WeightSource source, WeightFormat format) {
        return new JavaWeights(config, format, source, true, false);
    }

    /**
     * Reads a classifier's weights: the trunk and {@code classifier.weight/.bias}; the generation
     * head is not read.
     *
     * @param config the classifier's configuration (with {@code n_classes})
     * @param source the weights by PyTorch name
     * @param format how to store the matrices
     * @return the weights
     * @throws IllegalArgumentException if a weight is missing or has the wrong size, the
     *     configuration has no classes, or the model has learnable neuron parameters
     */
    public static JavaWeights classifier(
            SpikeGptConfig config, WeightSource source, WeightFormat format) {
        return new JavaWeights(config, format, source, false, true);
    }

    /** A loaded DJL model's parameters as a source (each read copies the NDArray). */
    private static WeightSource source(Map<String, Parameter> parameters) {
        return name -> {
            Parameter parameter = parameters.get(name);
            if (parameter == null || !parameter.isInitialized()) {
                throw new IllegalArgumentException("the model has no loaded weight " + name);
            }
            return parameter.getArray().toFloatArray();
        };
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

    private static float[] values(WeightSource p, String name, long size) {
        float[] values = p.read(name);
        if (values.length != size) {
            throw new IllegalArgumentException(
                    "weight "
                            + name
                            + " has "
                            + values.length
                            + " values, the configuration needs "
                            + size);
        }
        return values;
    }

    private static float[][] norm(WeightSource p, String name, int size) {
        return new float[][] {values(p, name + ".weight", size), values(p, name + ".bias", size)};
    }

    /** Reads a weight and stores it; the array read becomes garbage as soon as it is stored. */
    private Matrix matrix(WeightSource p, String name, int out, int in) {
        return Matrix.of(values(p, name, (long) out * in), out, in, format);
    }
}
