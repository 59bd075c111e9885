package ai.spikegpt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.spikegpt.nn.Tensors;

/**
 * RWKV's token shift: each position sees its own input and the previous position's, mixed per
 * channel by a learned vector {@code m}: {@code x * m + xx * (1 - m)} with {@code xx[t] = x[t-1]}
 * ({@code xx[0]} = the carried-in previous token, or 0).
 */
final class TokenShift {

    private TokenShift() {}

    /**
     * Returns the previous position's input for every position.
     *
     * @param x the sequence {@code [B, T, C]}
     * @param previous the input of the token before the sequence {@code [B, C]}, or null for 0
     * @return {@code xx [B, T, C]}
     */
    static NDArray previous(NDArray x, NDArray previous) {
        if (previous == null) {
            return Tensors.shiftTime(x, 1);
        }
        long steps = x.getShape().get(1);
        NDArray first = previous.expandDims(1);
        return steps == 1 ? first : first.concat(x.get(new NDIndex().addAllDim().addSliceDim(0, steps - 1)), 1);
    }

    /**
     * Mixes the current and the previous inputs, in the reference's operation order.
     *
     * @param x the current inputs
     * @param xx the previous inputs
     * @param m the mixing vector {@code [1, 1, C]}
     * @param one the scalar 1 (a native constant)
     * @return {@code x * m + xx * (1 - m)}
     */
    static NDArray mix(NDArray x, NDArray xx, NDArray m, NDArray one) {
        return x.mul(m).add(xx.mul(one.sub(m)));
    }

    /**
     * Returns the last position of a sequence, the token shift state to carry on.
     *
     * @param x the sequence {@code [B, T, C]}
     * @return {@code x[:, T-1]}, {@code [B, C]}
     */
    static NDArray last(NDArray x) {
        return x.get(new NDIndex(":, -1"));
    }
}
