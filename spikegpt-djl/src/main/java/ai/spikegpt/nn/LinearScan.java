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
 * with constant gates {@code g} (no gradient flows into them) and a differentiable input {@code
 * u}. Autograd differentiates through it, giving the exact gradient {@code dL/du}, itself the
 * reverse recurrence.
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
        Shape shape = u.getShape();
        long steps = shape.get(1);
        if (steps == 1) {
            return u;
        }
        int chunk = (int) Math.min(CHUNK, steps);
        long chunks = (steps + chunk - 1) / chunk;
        long padded = chunks * chunk;
        if (padded != steps) {
            // zero inputs and gates after the end change nothing before it
            u = padTime(u, padded - steps);
            g = padTime(g, padded - steps);
        }
        NDArray uc = u.reshape(chunked(u.getShape(), chunks, chunk));
        NDArray gc = g.reshape(chunked(g.getShape(), chunks, chunk));

        // 1. the recurrence inside every chunk, from a zero state, one step at a time
        NDList inputs = uc.split(chunk, 2);
        NDList gates = gc.split(chunk, 2);
        NDList local = new NDList(chunk);
        NDArray z = inputs.get(0);
        local.add(z);
        for (int k = 1; k < chunk; k++) {
            z = gates.get(k).mul(z).add(inputs.get(k));
            local.add(z);
        }
        NDArray result = NDArrays.concat(local, 2);

        // 2. carry the state across chunks: the state at the end of chunk n is
        //    ends[n] + carry[n] * end state of chunk n-1, a recurrence over chunks
        if (chunks > 1) {
            NDArray cumulative = gc.cumProd(2); // gate products from each chunk's start
            NDArray carryGates = cumulative.get(new NDIndex(":, :, {}:", chunk - 1));
            NDArray ends = scan(carryGates.squeeze(2), z.squeeze(2)).expandDims(2);
            NDArray previous = Tensors.shiftTime(ends, 1);
            result = result.add(cumulative.mul(previous));
        }
        result = result.reshape(u.getShape());
        return padded == steps ? result : result.get(new NDIndex().addAllDim().addSliceDim(0, steps));
    }

    private static Shape chunked(Shape shape, long chunks, int chunk) {
        return new Shape(shape.get(0), chunks, chunk).addAll(shape.slice(2));
    }

    private static NDArray padTime(NDArray x, long extra) {
        int dims = x.getShape().dimension();
        long[] padding = new long[2 * (dims - 1)];
        padding[padding.length - 1] = extra; // (before, after) pairs from the last axis back; axis 1 is last
        return x.pad(new Shape(padding), 0);
    }
}
