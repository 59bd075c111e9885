package ai.spikegpt.nn;

/**
 * The WKV recurrence over one batch row, as plain float loops: the forward form that {@link Wkv}
 * runs in Java and that the pure-Java engine ({@code ai.spikegpt.inference}) runs too, so both
 * compute the same floats.
 *
 * <p>Per channel, with the state {@code (aa, bb, pp)} (numerator, denominator, their common
 * exponent): {@code y = (e^(p-m) aa + e^(u+k-m) v) / (e^(p-m) bb + e^(u+k-m))} with {@code m =
 * max(p, u+k)}; then the state decays by {@code e^w} and takes in {@code (e^k v, e^k)}, its
 * exponent again the running maximum so that nothing overflows.
 */
public final class WkvRecurrence {

    private WkvRecurrence() {}

    /**
     * Runs batch row {@code b} over its {@code steps} positions, updating the state in place.
     *
     * @param b the batch row
     * @param steps positions per row
     * @param width channels
     * @param k keys {@code [batch, steps, width]}
     * @param v values, like {@code k}
     * @param w the per-channel log-decay, {@code -exp(time_decay)}
     * @param u the per-channel bonus of the current position
     * @param aa the numerators {@code [batch, width]}
     * @param bb the denominators, like {@code aa}
     * @param pp their exponents, like {@code aa}
     * @param y receives the outputs, like {@code k}
     */
    public static void scanRow(
            int b,
            int steps,
            int width,
            float[] k,
            float[] v,
            float[] w,
            float[] u,
            float[] aa,
            float[] bb,
            float[] pp,
            float[] y) {
        for (int t = 0; t < steps; t++) {
            int base = (b * steps + t) * width;
            for (int c = 0; c < width; c++) {
                int s = b * width + c;
                float kt = k[base + c];
                float vt = v[base + c];
                float uk = u[c] + kt;
                float m = Math.max(pp[s], uk);
                float e1 = (float) Math.exp(pp[s] - m);
                float e2 = (float) Math.exp(uk - m);
                y[base + c] = (e1 * aa[s] + e2 * vt) / (e1 * bb[s] + e2);
                float pw = pp[s] + w[c];
                float m2 = Math.max(pw, kt);
                float g = (float) Math.exp(pw - m2);
                float a = (float) Math.exp(kt - m2);
                aa[s] = g * aa[s] + a * vt;
                bb[s] = g * bb[s] + a;
                pp[s] = m2;
            }
        }
    }
}
