package ai.spikegpt.generate;

import java.util.Arrays;
import java.util.Random;

/**
 * Chooses the next token from a logit vector according to a {@link SamplingConfig}, with its own
 * seeded random generator (so the same seed gives the same text, whatever else uses randomness).
 */
public final class TokenSampler {

    private final SamplingConfig config;
    private final Random random;

    /**
     * @param config the sampling configuration
     */
    public TokenSampler(SamplingConfig config) {
        this.config = config;
        this.random = new Random(config.getSeed());
    }

    /**
     * Picks a token.
     *
     * @param logits the logits of one position
     * @param limit only ids below this are candidates (the tokenizer's vocabulary may be smaller
     *     than the model's)
     * @return the token id
     * @throws IllegalStateException if the logits are not finite
     */
    public int sample(float[] logits, int limit) {
        int n = Math.min(limit, logits.length);
        int best = 0;
        for (int i = 0; i < n; i++) {
            if (Float.isNaN(logits[i])) {
                throw new IllegalStateException(
                        "the model produced NaN logits: the weights are damaged");
            }
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        if (config.getTemperature() == 0f) {
            return best;
        }
        // candidates by descending logit, cut to top-k
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));
        int k = config.getTopK() == 0 ? n : Math.min(config.getTopK(), n);
        double[] p = new double[k];
        double max = logits[order[0]];
        double sum = 0;
        for (int i = 0; i < k; i++) {
            p[i] = Math.exp((logits[order[i]] - max) / config.getTemperature());
            sum += p[i];
        }
        // nucleus: the smallest prefix with mass >= top-p
        int keep = k;
        double mass = 0;
        for (int i = 0; i < k; i++) {
            mass += p[i] / sum;
            if (mass >= config.getTopP()) {
                keep = i + 1;
                break;
            }
        }
        double total = 0;
        for (int i = 0; i < keep; i++) {
            total += p[i];
        }
        double r = random.nextDouble() * total;
        for (int i = 0; i < keep; i++) {
            r -= p[i];
            if (r <= 0) {
                return order[i];
            }
        }
        return order[keep - 1];
    }
}
