package ai.spikegpt.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * Evaluates a first-order linear recurrence along the time axis with whole-tensor operations:
 *
 * <pre>
 *   z[t] = g[t] * z[t-1] + u[t],     z[-1] = 0,   t = 0 .. T-1   (time on axis 1)
 * </pre>
 *
 * <p>It is the doubling (Hillis–Steele) scan over the associative pairs {@code (g, u)}: at step
 * {@code d = 1, 2, 4, ...}
 *
 * <pre>
 *   z[t] += G_d[t] * z[t-d]       G_d[t] = g[t] g[t-1] ... g[t-d+1]      (t >= d)
 * </pre>
 *
 * after which every {@code z[t]} holds the contributions of the last {@code 2d} inputs. It costs
 * {@code ceil(log2 T)} steps of two native operations each, instead of T steps of a sequential
 * loop: that is what makes the LIF and WKV recurrences trainable through DJL's autograd at T =
 * 1024 (per-op JNI calls cost microseconds). With constant gates the updates are done in place on
 * slices, so a step allocates one temporary; autograd differentiates through every step, giving the
 * exact gradient. (Two DJL facts shape this: {@code duplicate()} copies without gradient, and
 * {@code hasGradient()} is false for intermediate results, so the caller says which kind of gates
 * it has by choosing the method.)
 */
public final class LinearScan {

    private LinearScan() {}

    /**
     * Runs the scan with gates that carry gradients (e.g. WKV's decay, a function of a trained
     * parameter).
     *
     * @param g the gates, broadcastable to {@code u} on every axis but time; {@code g[:, 0]} is
     *     never used
     * @param u the inputs, time on axis 1
     * @return {@code z}, the shape of {@code u}
     */
    public static NDArray scan(NDArray g, NDArray u) {
        long steps = u.getShape().get(1);
        // gates[:, i] holds G_d at time offset + i
        NDArray gates = g;
        long offset = 0;
        for (long d = 1; d < steps; d *= 2) {
            NDArray current = gates.get(time(d - offset, steps - offset));
            u = update(u, current, d, steps, false);
            if (2 * d < steps) {
                // G_2d[t] = G_d[t] * G_d[t-d], kept for t >= 2d only
                NDArray later = gates.get(time(2 * d - offset, steps - offset));
                NDArray earlier = gates.get(time(d - offset, steps - offset - d));
                gates = later.mul(earlier);
                offset = 2 * d;
            }
        }
        return u;
    }

    /**
     * Runs the scan with gates known ahead as constants: {@code levelGates[k]} is {@code G_d} for
     * {@code d = 2^k} (see {@link #levelGates}), e.g. a LIF's BPTT coefficients.
     *
     * @param levelGates the gate products per step, each shaped like {@code u} (no gradient)
     * @param u the inputs, time on axis 1; updated in place, so pass a fresh array
     * @return {@code z}, the shape of {@code u}
     */
    public static NDArray scan(NDArray[] levelGates, NDArray u) {
        long steps = u.getShape().get(1);
        long d = 1;
        for (NDArray gates : levelGates) {
            if (d >= steps) {
                break;
            }
            u = update(u, gates.get(time(d, steps)), d, steps, true);
            d *= 2;
        }
        return u;
    }

    /**
     * Adds {@code gates * z[:, :T-d]} to {@code z[:, d:]}. With constant gates this is done in
     * place (autograd saves only the gates); with trainable gates autograd keeps the past values for
     * the gates' gradient, so {@code z} must not be overwritten and a new array is returned.
     */
    private static NDArray update(NDArray z, NDArray gates, long d, long steps, boolean constantGates) {
        NDArray contribution = gates.mul(z.get(time(0, steps - d)));
        if (constantGates) {
            z.get(time(d, steps)).addi(contribution);
            return z;
        }
        return z.get(time(0, d)).concat(z.get(time(d, steps)).add(contribution), 1);
    }

    private static NDIndex time(long from, long to) {
        return new NDIndex().addAllDim().addSliceDim(from, to);
    }

    /**
     * Computes the gate products of every scan step on the Java side: {@code out[k]} is {@code
     * G_d} with {@code d = 2^k}, for row-major {@code [B, T, N]} gates.
     *
     * @param gate the gates {@code g[b, t, n]}
     * @param batch B
     * @param steps T
     * @param width N
     * @param levels how many steps to prepare
     * @return the products, {@code levels} arrays of the gates' size
     */
    public static float[][] levelGates(float[] gate, int batch, int steps, int width, int levels) {
        float[][] out = new float[levels][];
        if (levels == 0) {
            return out;
        }
        out[0] = gate;
        int d = 1;
        for (int k = 1; k < levels; k++) {
            float[] prev = out[k - 1];
            float[] next = new float[gate.length];
            int shift = d * width;
            for (int b = 0; b < batch; b++) {
                int base = b * steps * width;
                for (int i = shift; i < steps * width; i++) {
                    next[base + i] = prev[base + i] * prev[base + i - shift];
                }
            }
            out[k] = next;
            d *= 2;
        }
        return out;
    }

    /**
     * Returns how many doubling steps cover a recurrence of {@code steps} positions whose gates
     * are bounded by {@code maxGate} in absolute value, dropping contributions below {@code
     * tolerance} relative size (they are below float precision for tolerance 1e-10).
     *
     * @param steps T
     * @param maxGate the largest absolute gate value
     * @param tolerance the negligible relative contribution
     * @return the number of doubling steps
     */
    public static int levels(int steps, double maxGate, double tolerance) {
        long span = steps;
        if (maxGate < 1.0 && maxGate > 0.0) {
            span = Math.min(span, (long) Math.ceil(Math.log(tolerance) / Math.log(maxGate)) + 1);
        } else if (maxGate <= 0.0) {
            span = 1;
        }
        int levels = 0;
        for (long d = 1; d < span; d *= 2) {
            levels++;
        }
        return levels;
    }
}
