package ai.spikegpt.model;

import ai.spikegpt.files.AtomicFiles;
import ai.spikegpt.nn.ResetMode;
import ai.spikegpt.nn.Surrogate;
import ai.spikegpt.tokenizer.TextNormalization;
import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The configuration of a SpikeGPT model, stored as {@code config.json} (snake_case keys, the same
 * names as the reference implementation: {@code vocab_size, n_embd, n_layer, ctx_len, ffn_mult,
 * tau, v_threshold, v_reset, alpha, dropout, ln_eps, n_classes}, plus this project's {@code
 * variant, surrogate, reset_mode, detach_reset, learnable_tau, learnable_threshold,
 * binary_embedding, rescale_every, labels, text_normalization, init}).
 *
 * <p>Instances are immutable and always valid: {@link #builder()} and {@link #fromJson(String)}
 * check every value and reject unknown keys, naming the key and what to do.
 */
public final class SpikeGptConfig {

    private static final Gson GSON =
            new GsonBuilder()
                    .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
                    .serializeSpecialFloatingPointValues()
                    .setPrettyPrinting()
                    .create();

    private int vocabSize;
    private int nEmbd;
    private int nLayer;
    private int ctxLen = 1024;
    private int ffnMult = 4;
    private Variant variant = Variant.SPIKEGPT;
    private Boolean binaryEmbedding;
    private float tau = 2f;
    private float vThreshold = 1f;
    private float vReset = 0f;
    private String surrogate = Surrogate.ARCTAN;
    private float alpha = 2f;
    private ResetMode resetMode = ResetMode.HARD;
    private boolean detachReset;
    private boolean learnableTau;
    private boolean learnableThreshold;
    private float dropout = 0.03f;
    private float lnEps = 1e-5f;
    private int rescaleEvery;
    private int nClasses;
    private List<String> labels;
    private String textNormalization;
    private InitConfig init = new InitConfig();

    private SpikeGptConfig() {}

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
        JsonElement tree;
        try {
            tree = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(
                    "config.json is not valid JSON: " + e.getMessage(), e);
        }
        if (!tree.isJsonObject()) {
            throw new IllegalArgumentException(
                    "config.json must be a JSON object, got: " + abbreviate(json));
        }
        JsonObject object = tree.getAsJsonObject();
        checkKeys(object, SpikeGptConfig.class, "");
        if (object.has("init") && object.get("init").isJsonObject()) {
            checkKeys(object.getAsJsonObject("init"), InitConfig.class, "init.");
        }
        for (String required : List.of("vocab_size", "n_embd", "n_layer")) {
            if (!object.has(required)) {
                throw new IllegalArgumentException(
                        "config.json misses the required key '" + required + "'");
            }
        }
        SpikeGptConfig config;
        try {
            config = GSON.fromJson(object, SpikeGptConfig.class);
        } catch (JsonParseException | NumberFormatException e) {
            throw new IllegalArgumentException(
                    "config.json has a value of the wrong type: " + e.getMessage(), e);
        }
        if (config.init == null) {
            config.init = new InitConfig();
        }
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
        return GSON.toJson(this);
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

    private void validate() {
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
        finite("tau", tau);
        finite("v_threshold", vThreshold);
        finite("v_reset", vReset);
        finite("alpha", alpha);
        finite("dropout", dropout);
        finite("ln_eps", lnEps);
        if (tau < 1f) {
            throw invalid("tau", tau, "the membrane time constant must be >= 1 (1 = no memory)");
        }
        if (vReset >= vThreshold) {
            throw invalid(
                    "v_reset",
                    vReset,
                    "the reset potential must lie below v_threshold = " + vThreshold);
        }
        if (alpha <= 0f) {
            throw invalid("alpha", alpha, "the surrogate sharpness must be > 0");
        }
        Surrogate.of(surrogate, alpha); // throws a clear error for unknown names
        if (resetMode == null) {
            throw invalid("reset_mode", null, "use 'hard' or 'soft'");
        }
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
        if (nClasses < 0) {
            throw invalid("n_classes", nClasses, "must be >= 0 (0 = no classification head)");
        }
        if (labels != null) {
            if (nClasses == 0) {
                nClasses = labels.size();
            }
            if (labels.size() != nClasses) {
                throw invalid(
                        "labels",
                        labels,
                        "there must be exactly n_classes = " + nClasses + " labels");
            }
            if (labels.stream().anyMatch(Objects::isNull)
                    || new TreeSet<>(labels).size() != labels.size()) {
                throw invalid("labels", labels, "label names must be distinct and not null");
            }
            labels = List.copyOf(labels);
        }
        if (nClasses == 1) {
            throw invalid("n_classes", 1, "a classifier needs at least 2 classes");
        }
        init.validate();
    }

    private static void positive(String key, int value) {
        if (value <= 0) {
            throw invalid(key, value, "must be a positive integer");
        }
    }

    private static void finite(String key, float value) {
        if (!Float.isFinite(value)) {
            throw invalid(key, value, "must be a finite number");
        }
    }

    static IllegalArgumentException invalid(String key, Object value, String why) {
        return new IllegalArgumentException(
                "invalid configuration: " + key + " = " + value + ": " + why);
    }

    private static void checkKeys(JsonObject object, Class<?> type, String prefix) {
        Set<String> known = new TreeSet<>();
        for (Field f : type.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                known.add(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES.translateName(f));
            }
        }
        for (String key : object.keySet()) {
            if (!known.contains(key)) {
                String hint = closest(key, known);
                throw new IllegalArgumentException(
                        "unknown configuration key '"
                                + prefix
                                + key
                                + "'"
                                + (hint == null ? "" : " (did you mean '" + prefix + hint + "'?)")
                                + "; known keys: "
                                + known);
            }
        }
    }

    private static String closest(String key, Set<String> known) {
        String best = null;
        int bestDistance = 3;
        for (String k : known) {
            int d = levenshtein(key.toLowerCase(Locale.ROOT), k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best;
    }

    private static int levenshtein(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
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
        return tau;
    }

    /**
     * @return the firing threshold (initial value if learnable)
     */
    public float getThreshold() {
        return vThreshold;
    }

    /**
     * @return the reset potential of a hard reset
     */
    public float getResetPotential() {
        return vReset;
    }

    /**
     * @return the surrogate gradient function
     */
    public Surrogate getSurrogate() {
        return Surrogate.of(surrogate, alpha);
    }

    /**
     * @return the reset mode
     */
    public ResetMode getResetMode() {
        return resetMode;
    }

    /**
     * @return whether the reset is excluded from the gradient
     */
    public boolean isDetachReset() {
        return detachReset;
    }

    /**
     * @return whether tau is a trained parameter (PLIF)
     */
    public boolean isLearnableTau() {
        return learnableTau;
    }

    /**
     * @return whether the threshold is a trained parameter
     */
    public boolean isLearnableThreshold() {
        return learnableThreshold;
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
        return nClasses;
    }

    /**
     * Returns the class names, or {@code class0, class1, ...} when none were configured.
     *
     * @return the label names
     */
    public List<String> getLabels() {
        if (labels != null) {
            return labels;
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < nClasses; i++) {
            names.add("class" + i);
        }
        return Collections.unmodifiableList(names);
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
                nClasses > 0 ? " classes" + nClasses : "");
    }

    /**
     * How parameters are initialised for training from scratch. {@code scheme = "rwkv"} is the
     * RWKV-4 "fancy init" as the original code executes it (orthogonal matrices with gain 1, the
     * time_* formulas); {@code att_out_gain} and {@code ffn_value_gain} scale att.output and
     * ffn.value so that neurons fire at initialisation. {@code scheme = "torch"} is PyTorch's
     * default Linear/Embedding init with the RWKV time_* formulas, which is what the original
     * train.py actually ran (its fancy init is switched off unless an environment variable is set).
     */
    public static final class InitConfig {
        private String scheme = "rwkv";
        private float attOutGain = 1f;
        private float ffnValueGain = 1f;

        /**
         * @return the scheme name, "rwkv" or "torch"
         */
        public String getScheme() {
            return scheme;
        }

        /**
         * @return the extra gain on att.output
         */
        public float getAttOutGain() {
            return attOutGain;
        }

        /**
         * @return the extra gain on ffn.value
         */
        public float getFfnValueGain() {
            return ffnValueGain;
        }

        void validate() {
            if (!"rwkv".equals(scheme) && !"torch".equals(scheme)) {
                throw invalid("init.scheme", scheme, "use 'rwkv' or 'torch'");
            }
            if (!(attOutGain > 0f)
                    || !(ffnValueGain > 0f)
                    || !Float.isFinite(attOutGain * ffnValueGain)) {
                throw invalid(
                        "init gains", attOutGain + ", " + ffnValueGain, "must be finite and > 0");
            }
        }
    }

    /** Builds a {@link SpikeGptConfig}: {@code set*} values are required, {@code opt*} optional. */
    public static final class Builder {
        private SpikeGptConfig c = new SpikeGptConfig();

        Builder() {}

        /**
         * @param v the vocabulary size @return this builder
         */
        public Builder setVocabSize(int v) {
            c.vocabSize = v;
            return this;
        }

        /**
         * @param n the embedding size C @return this builder
         */
        public Builder setEmbeddingSize(int n) {
            c.nEmbd = n;
            return this;
        }

        /**
         * @param n the number of blocks @return this builder
         */
        public Builder setLayers(int n) {
            c.nLayer = n;
            return this;
        }

        /**
         * @param n the training context length @return this builder
         */
        public Builder optContextLength(int n) {
            c.ctxLen = n;
            return this;
        }

        /**
         * @param n the channel-mix multiplier @return this builder
         */
        public Builder optFfnMultiplier(int n) {
            c.ffnMult = n;
            return this;
        }

        /**
         * @param v the architecture variant @return this builder
         */
        public Builder optVariant(Variant v) {
            c.variant = v;
            return this;
        }

        /**
         * @param on whether the embedding is binarised @return this builder
         */
        public Builder optBinaryEmbedding(boolean on) {
            c.binaryEmbedding = on;
            return this;
        }

        /**
         * @param tau the membrane time constant @return this builder
         */
        public Builder optTau(float tau) {
            c.tau = tau;
            return this;
        }

        /**
         * @param v the firing threshold @return this builder
         */
        public Builder optThreshold(float v) {
            c.vThreshold = v;
            return this;
        }

        /**
         * @param v the hard-reset potential @return this builder
         */
        public Builder optResetPotential(float v) {
            c.vReset = v;
            return this;
        }

        /**
         * @param name the surrogate name ({@code arctan} or {@code sigmoid})
         * @param alpha its sharpness
         * @return this builder
         */
        public Builder optSurrogate(String name, float alpha) {
            c.surrogate = name;
            c.alpha = alpha;
            return this;
        }

        /**
         * @param mode the reset mode @return this builder
         */
        public Builder optResetMode(ResetMode mode) {
            c.resetMode = mode;
            return this;
        }

        /**
         * @param detach whether the reset is excluded from the gradient @return this builder
         */
        public Builder optDetachReset(boolean detach) {
            c.detachReset = detach;
            return this;
        }

        /**
         * @param on whether tau is trained @return this builder
         */
        public Builder optLearnableTau(boolean on) {
            c.learnableTau = on;
            return this;
        }

        /**
         * @param on whether the threshold is trained @return this builder
         */
        public Builder optLearnableThreshold(boolean on) {
            c.learnableThreshold = on;
            return this;
        }

        /**
         * @param p the dropout rate @return this builder
         */
        public Builder optDropout(float p) {
            c.dropout = p;
            return this;
        }

        /**
         * @param eps the LayerNorm epsilon @return this builder
         */
        public Builder optLayerNormEps(float eps) {
            c.lnEps = eps;
            return this;
        }

        /**
         * @param n the original RNN's layer-halving period (0 = off) @return this builder
         */
        public Builder optRescaleEvery(int n) {
            c.rescaleEvery = n;
            return this;
        }

        /**
         * @param labels the class names (sets n_classes) @return this builder
         */
        public Builder optLabels(List<String> labels) {
            c.labels = labels == null ? null : new ArrayList<>(labels);
            c.nClasses = labels == null ? 0 : labels.size();
            return this;
        }

        /**
         * @param n how text is rewritten before tokenization @return this builder
         */
        public Builder optTextNormalization(TextNormalization n) {
            c.textNormalization = n == TextNormalization.NONE ? null : n.id();
            return this;
        }

        /**
         * @param n the number of classes (0 = no head) @return this builder
         */
        public Builder optClasses(int n) {
            c.nClasses = n;
            c.labels = null;
            return this;
        }

        /**
         * @param scheme "rwkv" or "torch"
         * @param attOutGain extra gain on att.output
         * @param ffnValueGain extra gain on ffn.value
         * @return this builder
         */
        public Builder optInit(String scheme, float attOutGain, float ffnValueGain) {
            c.init = new InitConfig();
            c.init.scheme = scheme;
            c.init.attOutGain = attOutGain;
            c.init.ffnValueGain = ffnValueGain;
            return this;
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
            c = fromJson(built.toJson());
            return built;
        }
    }
}
