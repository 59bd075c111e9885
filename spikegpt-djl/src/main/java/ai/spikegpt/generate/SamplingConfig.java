package ai.spikegpt.generate;

import java.util.Arrays;

/**
 * How the next token is chosen: temperature, top-k and top-p (nucleus) sampling, a token budget,
 * stop tokens and a seed. Temperature 0 is greedy decoding (the arg-max token); the same seed gives
 * the same text.
 *
 * <pre>
 *   p(v) ∝ exp(logit[v] / temperature)   over the top-k tokens, then the smallest set whose
 *                                          probabilities add up to top-p
 * </pre>
 */
public final class SamplingConfig {

    private final float temperature;
    private final int topK;
    private final float topP;
    private final int maxTokens;
    private final long seed;
    private final long[] stopTokens;

    private SamplingConfig(Builder b) {
        if (!(b.temperature >= 0f) || !Float.isFinite(b.temperature)) {
            throw new IllegalArgumentException(
                    "temperature must be a finite number >= 0 (0 = greedy), got " + b.temperature);
        }
        if (b.topK < 0) {
            throw new IllegalArgumentException("top-k must be >= 0 (0 = off), got " + b.topK);
        }
        if (!(b.topP > 0f && b.topP <= 1f)) {
            throw new IllegalArgumentException("top-p must be in (0, 1] (1 = off), got " + b.topP);
        }
        if (b.maxTokens < 0) {
            throw new IllegalArgumentException("max tokens must be >= 0, got " + b.maxTokens);
        }
        temperature = b.temperature;
        topK = b.topK;
        topP = b.topP;
        maxTokens = b.maxTokens;
        seed = b.seed;
        stopTokens = b.stopTokens.clone();
    }

    /**
     * @return a builder: temperature 1, no top-k, top-p 1, 200 tokens, seed 0
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the greedy configuration with the default budget
     */
    public static SamplingConfig greedy() {
        return builder().optTemperature(0f).build();
    }

    /**
     * @return the temperature (0 = greedy)
     */
    public float getTemperature() {
        return temperature;
    }

    /**
     * @return the number of most likely tokens kept (0 = all)
     */
    public int getTopK() {
        return topK;
    }

    /**
     * @return the nucleus probability mass (1 = all)
     */
    public float getTopP() {
        return topP;
    }

    /**
     * @return the largest number of generated tokens
     */
    public int getMaxTokens() {
        return maxTokens;
    }

    /**
     * @return the random seed
     */
    public long getSeed() {
        return seed;
    }

    /**
     * Returns whether a token ends the generation.
     *
     * @param token the token
     * @return whether it is a stop token
     */
    public boolean isStop(long token) {
        for (long s : stopTokens) {
            if (s == token) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "SamplingConfig[temperature="
                + temperature
                + ", topK="
                + topK
                + ", topP="
                + topP
                + ", maxTokens="
                + maxTokens
                + ", seed="
                + seed
                + ", stop="
                + Arrays.toString(stopTokens)
                + "]";
    }

    /** Builds a {@link SamplingConfig}; every value is optional. */
    public static final class Builder {
        private float temperature = 1f;
        private int topK;
        private float topP = 1f;
        private int maxTokens = 200;
        private long seed;
        private long[] stopTokens = new long[0];

        Builder() {}

        /**
         * @param t the temperature, >= 0 (0 = greedy) @return this builder
         */
        public Builder optTemperature(float t) {
            temperature = t;
            return this;
        }

        /**
         * @param k keep the k most likely tokens (0 = off) @return this builder
         */
        public Builder optTopK(int k) {
            topK = k;
            return this;
        }

        /**
         * @param p keep the smallest set of tokens with mass >= p, in (0, 1] @return this builder
         */
        public Builder optTopP(float p) {
            topP = p;
            return this;
        }

        /**
         * @param n the largest number of generated tokens @return this builder
         */
        public Builder optMaxTokens(int n) {
            maxTokens = n;
            return this;
        }

        /**
         * @param s the random seed @return this builder
         */
        public Builder optSeed(long s) {
            seed = s;
            return this;
        }

        /**
         * @param tokens tokens that end the generation (not emitted) @return this builder
         */
        public Builder optStopTokens(long... tokens) {
            stopTokens = tokens.clone();
            return this;
        }

        /**
         * @return the configuration
         * @throws IllegalArgumentException for a value out of range, naming it
         */
        public SamplingConfig build() {
            return new SamplingConfig(this);
        }
    }
}
