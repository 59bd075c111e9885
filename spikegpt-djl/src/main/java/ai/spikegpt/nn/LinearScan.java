package ai.spikegpt.nn;

import ai.djl.ndarray.NDArray;

/**
 * Evaluates a first-order linear recurrence along the time axis with whole-tensor operations:
 *
 * <pre>
 *   z[t] = g[t] * z[t-1] + u[t],     z[-1] = 0,   t = 0 .. T-1   (time on axis 1)
 * </pre>
 *
 * <p>It is the doubling (Hillis–Steele) scan over the associative pairs {@code (g, u)}: after
 * step {@code d = 1, 2, 4, ...} every {@code z[t]} holds the contributions of the last {@code 2d}
 * inputs and {@code g[t]} their product. It costs {@code ceil(log2 T)} steps of a few native
 * operations each, instead of T steps of a sequential loop, which is what makes the LIF and WKV
 * recurrences trainable through DJL's autograd at T = 1024 (see DJL-NOTES: per-op JNI calls
 * cost microseconds). Autograd differentiates through every step, giving the exact gradient of
 * the recurrence.
 */
public final class LinearScan {

    private LinearScan() {}

    /**
     * Runs the scan over the whole sequence.
     *
     * @param g the gates, broadcastable to {@code u}; {@code g[:, 0]} is never used
     * @param u the inputs, time on axis 1
     * @return {@code z}, the shape of {@code u}
     */
    public static NDArray scan(NDArray g, NDArray u) {
        return scan(g, u, Integer.MAX_VALUE);
    }

    /**
     * Runs the scan, keeping only contributions from at most {@code span} steps back. Use a span
     * shorter than T only when the products of {@code span} gates are known to be negligible (for
     * example a LIF whose gates are bounded by 0.51 in absolute value).
     *
     * @param g the gates, broadcastable to {@code u}; {@code g[:, 0]} is never used
     * @param u the inputs, time on axis 1
     * @param span how many steps back contributions are kept (rounded up to a power of two)
     * @return {@code z}, the shape of {@code u}
     */
    public static NDArray scan(NDArray g, NDArray u, int span) {
        long steps = Math.min(span, u.getShape().get(1));
        NDArray z = u;
        for (int d = 1; d < steps; d *= 2) {
            z = z.add(g.mul(Tensors.shiftTime(z, d)));
            if (2L * d < steps) {
                g = g.mul(Tensors.shiftTime(g, d));
            }
        }
        return z;
    }

    /**
     * Returns how many steps back a recurrence whose gates are bounded by {@code maxGate} in
     * absolute value can influence the present above a relative size of {@code tolerance}.
     *
     * @param maxGate the largest absolute gate value
     * @param tolerance the negligible relative contribution, e.g. 1e-10
     * @return the span to pass to {@link #scan(NDArray, NDArray, int)}
     */
    public static int spanFor(double maxGate, double tolerance) {
        if (maxGate >= 1.0 || Double.isNaN(maxGate)) {
            return Integer.MAX_VALUE;
        }
        if (maxGate <= 0.0) {
            return 1;
        }
        double steps = Math.log(tolerance) / Math.log(maxGate);
        return steps >= Integer.MAX_VALUE / 2.0 ? Integer.MAX_VALUE : (int) Math.ceil(steps) + 1;
    }
}
