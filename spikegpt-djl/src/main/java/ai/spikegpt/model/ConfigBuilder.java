package ai.spikegpt.model;

import ai.spikegpt.nn.ResetMode;
import ai.spikegpt.tokenizer.TextNormalization;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link SpikeGptConfig} (as {@link SpikeGptConfig.Builder}, DJL's self-typed builder
 * pattern): {@code set*} values are required, {@code opt*} optional.
 *
 * @param <T> the concrete builder type
 */
public abstract class ConfigBuilder<T extends ConfigBuilder<T>> {
    SpikeGptConfig c = new SpikeGptConfig();

    ConfigBuilder() {}

    /**
     * @return this builder as its concrete type
     */
    protected abstract T self();

    /**
     * @param v the vocabulary size @return this builder
     */
    public T setVocabSize(int v) {
        c.vocabSize = v;
        return self();
    }

    /**
     * @param n the embedding size C @return this builder
     */
    public T setEmbeddingSize(int n) {
        c.nEmbd = n;
        return self();
    }

    /**
     * @param n the number of blocks @return this builder
     */
    public T setLayers(int n) {
        c.nLayer = n;
        return self();
    }

    /**
     * @param n the training context length @return this builder
     */
    public T optContextLength(int n) {
        c.ctxLen = n;
        return self();
    }

    /**
     * @param n the channel-mix multiplier @return this builder
     */
    public T optFfnMultiplier(int n) {
        c.ffnMult = n;
        return self();
    }

    /**
     * @param v the architecture variant @return this builder
     */
    public T optVariant(Variant v) {
        c.variant = v;
        return self();
    }

    /**
     * @param on whether the embedding is binarised @return this builder
     */
    public T optBinaryEmbedding(boolean on) {
        c.binaryEmbedding = on;
        return self();
    }

    /**
     * @param tau the membrane time constant @return this builder
     */
    public T optTau(float tau) {
        c.neuron.tau = tau;
        return self();
    }

    /**
     * @param v the firing threshold @return this builder
     */
    public T optThreshold(float v) {
        c.neuron.vThreshold = v;
        return self();
    }

    /**
     * @param v the hard-reset potential @return this builder
     */
    public T optResetPotential(float v) {
        c.neuron.vReset = v;
        return self();
    }

    /**
     * @param name the surrogate name ({@code arctan} or {@code sigmoid})
     * @param alpha its sharpness
     * @return this builder
     */
    public T optSurrogate(String name, float alpha) {
        c.neuron.surrogate = name;
        c.neuron.alpha = alpha;
        return self();
    }

    /**
     * @param mode the reset mode @return this builder
     */
    public T optResetMode(ResetMode mode) {
        c.neuron.resetMode = mode;
        return self();
    }

    /**
     * @param detach whether the reset is excluded from the gradient @return this builder
     */
    public T optDetachReset(boolean detach) {
        c.neuron.detachReset = detach;
        return self();
    }

    /**
     * @param on whether tau is trained @return this builder
     */
    public T optLearnableTau(boolean on) {
        c.neuron.learnableTau = on;
        return self();
    }

    /**
     * @param on whether the threshold is trained @return this builder
     */
    public T optLearnableThreshold(boolean on) {
        c.neuron.learnableThreshold = on;
        return self();
    }

    /**
     * @param p the dropout rate @return this builder
     */
    public T optDropout(float p) {
        c.dropout = p;
        return self();
    }

    /**
     * @param eps the LayerNorm epsilon @return this builder
     */
    public T optLayerNormEps(float eps) {
        c.lnEps = eps;
        return self();
    }

    /**
     * @param n the original RNN's layer-halving period (0 = off) @return this builder
     */
    public T optRescaleEvery(int n) {
        c.rescaleEvery = n;
        return self();
    }

    /**
     * @param labels the class names (sets n_classes) @return this builder
     */
    public T optLabels(List<String> labels) {
        c.classes.labels = labels == null ? null : new ArrayList<>(labels);
        c.classes.nClasses = labels == null ? 0 : labels.size();
        return self();
    }

    /**
     * @param n how text is rewritten before tokenization @return this builder
     */
    public T optTextNormalization(TextNormalization n) {
        c.textNormalization = n == TextNormalization.NONE ? null : n.id();
        return self();
    }

    /**
     * @param n the number of classes (0 = no head) @return this builder
     */
    public T optClasses(int n) {
        c.classes.nClasses = n;
        c.classes.labels = null;
        return self();
    }

    /**
     * @param scheme "rwkv" or "torch"
     * @param attOutGain extra gain on att.output
     * @param ffnValueGain extra gain on ffn.value
     * @return this builder
     */
    public T optInit(String scheme, float attOutGain, float ffnValueGain) {
        c.init = new InitConfig();
        c.init.scheme = scheme;
        c.init.attOutGain = attOutGain;
        c.init.ffnValueGain = ffnValueGain;
        return self();
    }

    /**
     * Validates and returns the configuration.
     *
     * @return the configuration
     * @throws IllegalArgumentException if a value is invalid
     */
    public SpikeGptConfig build() {
        SpikeGptConfig built = c;
        built.validate();
        c = SpikeGptConfig.fromJson(built.toJson());
        return built;
    }
}
