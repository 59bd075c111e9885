package ai.spikegpt.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Evaluates a first-order linear recurrence along the time axis with whole-tensor operations:
 *
 * <pre>
 *   z[t] = g[t] * z[t-1] + u[t],     z[-1] = 0,   t = 0 .. T-1   (time on axis 1)
 * </pre>
 *
 * with constant gates {@code g} (no gradient flows into them) and a differentiable input {@code u}.
 * Autograd differentiates through it, giving the exact gradient {@code dL/du}, itself the reverse
 * recurrence.
 *
 * <p>How (a chunked scan): time is cut into chunks of {@value #CHUNK} steps. Inside every chunk the
 * recurrence runs step by step, but on all chunks at once: {@value #CHUNK} small operations on
 * {@code [B, T/CHUNK, ...]} slices, however long the sequence. The chunk ends are then carried
 * across chunks by the same scan applied to the {@code T/CHUNK} chunk ends (recursively), and every
 * position adds its chunk's carried-in state times the cumulative product of its gates. The number
 * of native calls grows with {@code log T}, not T (per-op JNI calls cost microseconds, see
 * DJL-NOTES), and the memory traffic is a few passes over {@code u}, which matters more than the
 * call count on a 2-core machine.
 */
public final class LinearScan {

    /** The chunk length: the number of sequential steps per level. */
    public static final int CHUNK = 16;

    private LinearScan() {}

    /**
     * Runs the recurrence.
     *
     * @param g the gates {@code [B, T, ...]}, broadcastable to {@code u}; constants (no gradient);
     *     {@code g[:, 0]} is never used
     * @param u the inputs {@code [B, T, ...]}
     * @return {@code z}, the shape of {@code u}
     */
    public static NDArray scan(NDArray g, NDArray u) {
        return new Gates(g).apply(u);
    }

    /**
     * Gates prepared once (chunked, with their cumulative products) to run several recurrences with
     * the same gates.
     */
    public static final class Gates {
        private final long steps;
        private final int chunk;
        private final long chunks;
        private final NDList pieces;
        private final NDArray cumulative;
        private final Gates carry;

        /**
         * @param g the gates {@code [B, T, ...]}; constants; {@code g[:, 0]} is never used
         */
        public Gates(NDArray g) {
            steps = g.getShape().get(1);
            chunk = (int) Math.min(CHUNK, steps);
            chunks = (steps + chunk - 1) / chunk;
            if (steps == 1) {
                pieces = null;
                cumulative = null;
                carry = null;
                return;
            }
            NDArray gc =
                    padTime(g, chunks * chunk - steps)
                            .reshape(chunked(g.getShape(), chunks, chunk));
            pieces = gc.split(chunk, 2);
            if (chunks > 1) {
                cumulative = gc.cumProd(2); // gate products from each chunk's start
                carry = new Gates(cumulative.get(new NDIndex(":, :, {}:", chunk - 1)).squeeze(2));
            } else {
                cumulative = null;
                carry = null;
            }
        }

        /**
         * Runs the recurrence over inputs.
         *
         * @param u the inputs {@code [B, T, ...]}, the gates broadcastable to them
         * @return {@code z}, the shape of {@code u}
         */
        public NDArray apply(NDArray u) {
            if (u.getShape().get(1) != steps) {
                throw new IllegalArgumentException(
                        "inputs have " + u.getShape().get(1) + " steps, the gates " + steps);
            }
            if (steps == 1) {
                return u;
            }
            Shape shape = u.getShape();
            NDArray uc = padTime(u, chunks * chunk - steps).reshape(chunked(shape, chunks, chunk));

            // 1. the recurrence inside every chunk, from a zero state, one step at a time
            NDList inputs = uc.split(chunk, 2);
            NDList local = new NDList(chunk);
            NDArray z = inputs.get(0);
            local.add(z);
            for (int k = 1; k < chunk; k++) {
                z = pieces.get(k).mul(z).add(inputs.get(k));
                local.add(z);
            }
            NDArray result = NDArrays.concat(local, 2);

            // 2. carry the state across chunks: the state at the end of chunk n is
            //    ends[n] + carry[n] * end state of chunk n-1, a recurrence over chunks
            if (carry != null) {
                NDArray ends = carry.apply(z.squeeze(2)).expandDims(2);
                result = result.add(cumulative.mul(Tensors.shiftTime(ends, 1)));
            }
            result = result.reshape(new Shape(shape.get(0), chunks * chunk).addAll(shape.slice(2)));
            return chunks * chunk == steps
                    ? result
                    : result.get(new NDIndex().addAllDim().addSliceDim(0, steps));
        }
    }

    private static Shape chunked(Shape shape, long chunks, int chunk) {
        return new Shape(shape.get(0), chunks, chunk).addAll(shape.slice(2));
    }

    private static NDArray padTime(NDArray x, long extra) {
        if (extra == 0) {
            return x;
        }
        // zero inputs and gates after the end change nothing before it
        int dims = x.getShape().dimension();
        long[] padding = new long[2 * (dims - 1)];
        padding[padding.length - 1] = extra; // (before, after) pairs from the last axis back
        return x.pad(new Shape(padding), 0);
    }
}
