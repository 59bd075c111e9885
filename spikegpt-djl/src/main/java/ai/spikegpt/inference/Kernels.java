package ai.spikegpt.inference;

import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.model.Variant;
import ai.spikegpt.nn.ResetMode;
import ai.spikegpt.nn.WkvRecurrence;

/**
 * The element-wise pieces of a block over the batch rows {@code b0 <= b < b1} of a {@code [batch,
 * steps, width]} sequence (batch rows are independent, so ranges of them can run on separate
 * threads), each written in the float operation order of the DJL blocks, so that the results agree
 * to the last bits and a spike decision right at the threshold comes out the same. With the vector
 * API, {@link VectorMath} runs the sigmoid, WKV and LIF a vector of channels at a time (its
 * exponentials within an ulp or so of these).
 */
final class Kernels {

    private Kernels() {}

    /** LayerNorm over each row of {@code width} in rows [r0, r1): biased variance, affine. */
    static void layerNorm(
            float[] x, float[] out, int r0, int r1, int width, float[][] affine, float eps) {
        float[] gamma = affine[0];
        float[] beta = affine[1];
        for (int r = r0; r < r1; r++) {
            int base = r * width;
            double sum = 0;
            for (int i = 0; i < width; i++) {
                sum += x[base + i];
            }
            float mean = (float) (sum / width);
            double sq = 0;
            for (int i = 0; i < width; i++) {
                double d = x[base + i] - mean;
                sq += d * d;
            }
            float inv = (float) (1.0 / Math.sqrt(sq / width + eps));
            for (int i = 0; i < width; i++) {
                out[base + i] = (x[base + i] - mean) * inv * gamma[i] + beta[i];
            }
        }
    }

    /**
     * The token shift: {@code xx[t] = x[t-1]} ({@code xx[0]} = the carried previous input), then
     * {@code out[m] = (x - xx) mixes[m] + xx} for each mixing vector. The carried input becomes
     * {@code x[T-1]}.
     */
    static void shift(
            float[] x,
            int b0,
            int b1,
            int steps,
            int width,
            float[] previous,
            float[][] out,
            float[]... mixes) {
        for (int b = b0; b < b1; b++) {
            for (int t = 0; t < steps; t++) {
                int row = (b * steps + t) * width;
                float[] before = t == 0 ? previous : x;
                int at = t == 0 ? b * width : row - width;
                for (int m = 0; m < mixes.length; m++) {
                    float[] o = out[m];
                    float[] mix = mixes[m];
                    // a plain loop over arrays: the JIT vectorises it
                    for (int c = 0; c < width; c++) {
                        float xx = before[at + c];
                        o[row + c] = (x[row + c] - xx) * mix[c] + xx;
                    }
                }
            }
            System.arraycopy(x, (b * steps + steps - 1) * width, previous, b * width, width);
        }
    }

    /** The logistic function on {@code x[from, to)}, in place. */
    static void sigmoid(float[] x, int from, int to) {
        int i = from;
        if (PanelKernel.VECTOR) {
            VectorMath.sigmoid(x, from, to - from);
            i += VectorMath.vectorWidth(to - from);
        }
        for (; i < to; i++) {
            x[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
        }
    }

    /** The WKV recurrence of {@code nn.Wkv} (no gradient) into y, updating {@code (aa, bb, pp)}. */
    static void wkv(
            float[] k,
            float[] v,
            int b0,
            int b1,
            int steps,
            int width,
            float[] w,
            float[] u,
            float[][] state,
            float[] y) {
        boolean vector = PanelKernel.VECTOR && VectorMath.fits(width);
        for (int b = b0; b < b1; b++) {
            if (vector) {
                VectorMath.wkvRow(b, steps, width, k, v, w, u, state[1], state[2], state[3], y);
            } else {
                WkvRecurrence.scanRow(b, steps, width, k, v, w, u, state[1], state[2], state[3], y);
            }
        }
    }

    /**
     * The block's neuron over a sequence of input currents, in place: LIF (membrane {@code v}
     * carried and updated), Heaviside (memoryless) or none (vanilla RWKV: the current passes).
     */
    static void fire(
            float[] x, int b0, int b1, int steps, int width, float[] v, SpikeGptConfig cfg) {
        Variant variant = cfg.getVariant();
        float theta = cfg.getThreshold();
        if (variant == Variant.RWKV || variant == Variant.HEAVISIDE_RWKV) {
            // no membrane: the DJL block carries zeros
            java.util.Arrays.fill(v, b0 * width, b1 * width, 0f);
            if (variant == Variant.HEAVISIDE_RWKV) {
                for (int i = b0 * steps * width; i < b1 * steps * width; i++) {
                    x[i] = x[i] - theta >= 0f ? 1f : 0f;
                }
            }
            return;
        }
        lif(x, b0, b1, steps, width, v, cfg);
    }

    /** LIF as {@code nn.LifNeuron} with a fixed tau: {@code h = v + (x - v) / tau}. */
    static void lif(
            float[] x, int b0, int b1, int steps, int width, float[] v, SpikeGptConfig cfg) {
        float tau = cfg.getTau();
        float theta = cfg.getThreshold();
        float reset = cfg.getResetPotential();
        boolean hard = cfg.getResetMode() == ResetMode.HARD;
        if (PanelKernel.VECTOR && VectorMath.fits(width)) {
            for (int b = b0; b < b1; b++) {
                VectorMath.lifRow(x, b, steps, width, v, tau, theta, reset, hard);
            }
            return;
        }
        for (int b = b0; b < b1; b++) {
            for (int t = 0; t < steps; t++) {
                int base = (b * steps + t) * width;
                for (int c = 0; c < width; c++) {
                    int s = b * width + c;
                    float vi = v[s];
                    float h = vi + (x[base + c] - vi) / tau;
                    boolean spike = h >= theta;
                    x[base + c] = spike ? 1f : 0f;
                    v[s] = hard ? (spike ? reset : h) : h - theta * (spike ? 1f : 0f);
                }
            }
        }
    }
}
