package ai.spikegpt.model;

import ai.spikegpt.files.AtomicFiles;
import ai.spikegpt.nn.ResetMode;
import ai.spikegpt.nn.Surrogate;
import ai.spikegpt.tokenizer.TextNormalization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The configuration of a SpikeGPT model, stored as {@code config.json} (snake_case keys, the same
 * names as the reference implementation: {@code vocab_size, n_embd, n_layer, ctx_len, ffn_mult,
 * tau, v_threshold, v_reset, alpha, dropout, ln_eps, n_classes}, plus this project's {@code
 * variant, surrogate, reset_mode, detach_reset, learnable_tau, learnable_threshold,
 * binary_embedding, rescale_every, labels, text_normalization, init}).
 *
 * <p>Instances are immutable and always valid: {@link #builder()} and {@link #fromJson(String)}
 * check every value and reject unknown keys, naming the key and what to do. This class holds the
 * architecture; the neuron physics are in {@link NeuronPhysics}, the classifier's classes in {@link
 * ClassLabels}, the JSON reading in {@link ConfigJson}.
 */
public final class SpikeGptConfig {

    int vocabSize;
    int nEmbd;
    int nLayer;
    int ctxLen = 1024;
    int ffnMult = 4;
    Variant variant = Variant.SPIKEGPT;
    Boolean binaryEmbedding;
    float dropout = 0.03f;
    float lnEps = 1e-5f;
    int rescaleEvery;
    transient NeuronPhysics neuron = new NeuronPhysics();
    transient ClassLabels classes = new ClassLabels();
    String textNormalization;
    InitConfig init = new InitConfig();

    SpikeGptConfig() {}

    /**
     * Returns a builder; {@code setVocabSize}, {@code setEmbeddingSize} and {@code setLayers} are
     * required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses and validates a {@code config.json} text.
     *
     * @param json the JSON text
     * @return the configuration
     * @throws IllegalArgumentException if the JSON is malformed, has unknown keys or invalid values
     */
    public static SpikeGptConfig fromJson(String json) {
        SpikeGptConfig config = ConfigJson.parse(json);
        config.validate();
        return config;
    }

    /**
     * Reads and validates a {@code config.json} file.
     *
     * @param file the file
     * @return the configuration
     * @throws IOException if the file cannot be read
     */
    public static SpikeGptConfig load(Path file) throws IOException {
        try {
            return fromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes this configuration as pretty-printed JSON.
     *
     * @param file the file to write
     * @throws IOException if the file cannot be written
     */
    public void save(Path file) throws IOException {
        AtomicFiles.writeString(file, toJson() + "\n");
    }

    /**
     * Returns this configuration as JSON.
     *
     * @return the JSON text
     */
    public String toJson() {
        return ConfigJson.write(this);
    }

    /**
     * Returns a builder initialised with this configuration's values, to derive a changed copy.
     *
     * @return a builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.c = fromJson(toJson());
        return b;
    }

    void validate() {
        positive("vocab_size", vocabSize);
        positive("n_embd", nEmbd);
        positive("n_layer", nLayer);
        positive("ctx_len", ctxLen);
        positive("ffn_mult", ffnMult);
        if (vocabSize < 2) {
            throw invalid("vocab_size", vocabSize, "a vocabulary needs at least 2 tokens");
        }
        if (variant == null) {
            throw invalid("variant", null, "use one of spikegpt, spikegpt-b, heaviside-rwkv, rwkv");
        }
        neuron.validate();
        finite("dropout", dropout);
        finite("ln_eps", lnEps);
        if (dropout < 0f || dropout >= 1f) {
            throw invalid("dropout", dropout, "must be in [0, 1)");
        }
        if (lnEps <= 0f) {
            throw invalid("ln_eps", lnEps, "must be > 0");
        }
        if (rescaleEvery < 0) {
            throw invalid("rescale_every", rescaleEvery, "must be >= 0 (0 = off)");
        }
        if (textNormalization != null) {
            try {
                textNormalization = TextNormalization.parse(textNormalization).id();
            } catch (IllegalArgumentException e) {
                throw invalid(
                        "text_normalization", textNormalization, "must be none or ptb_lowercase");
            }
        }
        classes.validate();
        init.validate();
    }

    private static void positive(String key, int value) {
        if (value <= 0) {
            throw invalid(key, value, "must be a positive integer");
        }
    }

    static void finite(String key, float value) {
        if (!Float.isFinite(value)) {
            throw invalid(key, value, "must be a finite number");
        }
    }

    static IllegalArgumentException invalid(String key, Object value, String why) {
        return new IllegalArgumentException(
                "invalid configuration: " + key + " = " + value + ": " + why);
    }

    /**
     * @return the vocabulary size V
     */
    public int getVocabSize() {
        return vocabSize;
    }

    /**
     * @return the embedding (channel) size C
     */
    public int getEmbeddingSize() {
        return nEmbd;
    }

    /**
     * @return the number of blocks L
     */
    public int getLayers() {
        return nLayer;
    }

    /**
     * @return the training context length (prompts may be longer: the model is recurrent)
     */
    public int getContextLength() {
        return ctxLen;
    }

    /**
     * @return the channel-mix hidden size multiplier (hidden = ffn_mult x C)
     */
    public int getFfnMultiplier() {
        return ffnMult;
    }

    /**
     * @return the channel-mix hidden size, {@code ffn_mult * n_embd}
     */
    public int getFfnHiddenSize() {
        return ffnMult * nEmbd;
    }

    /**
     * @return the architecture variant
     */
    public Variant getVariant() {
        return variant;
    }

    /**
     * Returns whether the embedding is binarised with a Heaviside step. Defaults to true for the
     * spiking variants and false for vanilla RWKV.
     *
     * @return whether the embedding is binary
     */
    public boolean isBinaryEmbedding() {
        return binaryEmbedding != null ? binaryEmbedding : variant.spiking();
    }

    /**
     * @return the LIF membrane time constant tau (initial value if learnable)
     */
    public float getTau() {
        return neuron.tau;
    }

    /**
     * @return the firing threshold (initial value if learnable)
     */
    public float getThreshold() {
        return neuron.vThreshold;
    }

    /**
     * @return the reset potential of a hard reset
     */
    public float getResetPotential() {
        return neuron.vReset;
    }

    /**
     * @return the surrogate gradient function
     */
    public Surrogate getSurrogate() {
        return Surrogate.of(neuron.surrogate, neuron.alpha);
    }

    /**
     * @return the reset mode
     */
    public ResetMode getResetMode() {
        return neuron.resetMode;
    }

    /**
     * @return whether the reset is excluded from the gradient
     */
    public boolean isDetachReset() {
        return neuron.detachReset;
    }

    /**
     * @return whether tau is a trained parameter (PLIF)
     */
    public boolean isLearnableTau() {
        return neuron.learnableTau;
    }

    /**
     * @return whether the threshold is a trained parameter
     */
    public boolean isLearnableThreshold() {
        return neuron.learnableThreshold;
    }

    /**
     * @return the dropout rate applied after each block in training
     */
    public float getDropout() {
        return dropout;
    }

    /**
     * @return the LayerNorm epsilon
     */
    public float getLayerNormEps() {
        return lnEps;
    }

    /**
     * Returns the layer-halving period of the original RNN script ({@code RWKV_RESCALE_LAYER}, 0 =
     * off): block i's time-mix and channel-mix outputs are divided by {@code 2^(i / n)} and the
     * residual stream is halved after every n-th block. It is an inference compatibility switch to
     * reproduce the original {@code model_run.py}; it changes what a SpikeGPT computes (the LIF
     * inputs are halved), so trained models leave it off.
     *
     * @return the period, 0 when off
     */
    public int getRescaleEvery() {
        return rescaleEvery;
    }

    /**
     * Returns how text is rewritten before tokenization, e.g. lower case and Penn Treebank tokens
     * for a classifier fine-tuned on SST.
     *
     * @return the normalization, {@link TextNormalization#NONE} by default
     */
    public TextNormalization getTextNormalization() {
        return textNormalization == null
                ? TextNormalization.NONE
                : TextNormalization.parse(textNormalization);
    }

    /**
     * @return the number of classes of the classification head (0: none)
     */
    public int getClasses() {
        return classes.nClasses;
    }

    /**
     * Returns the class names, or {@code class0, class1, ...} when none were configured.
     *
     * @return the label names
     */
    public List<String> getLabels() {
        return classes.names();
    }

    /**
     * @return the parameter initialisation used for training from scratch
     */
    public InitConfig getInit() {
        return init;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpikeGptConfig && toJson().equals(((SpikeGptConfig) o).toJson());
    }

    @Override
    public int hashCode() {
        return Objects.hash(toJson());
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "SpikeGPT[%s L%d C%d V%d ctx%d%s]",
                variant.name().toLowerCase(Locale.ROOT),
                nLayer,
                nEmbd,
                vocabSize,
                ctxLen,
                classes.nClasses > 0 ? " classes" + classes.nClasses : "");
    }

    /** Builds a {@link SpikeGptConfig}; the setters are {@link ConfigBuilder}'s. */
    public static final class Builder extends ConfigBuilder<Builder> {
        Builder() {}

        @Override
        protected Builder self() {
            return this;
        }
    }
}
