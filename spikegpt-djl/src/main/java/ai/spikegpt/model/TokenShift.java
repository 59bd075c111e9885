package ai.spikegpt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.spikegpt.nn.Tensors;

/**
 * RWKV's token shift: each position sees its own input and the previous position's, mixed per
 * channel by a learned vector {@code m}: {@code x * m + xx * (1 - m)} with {@code xx[t] = x[t-1]}
 * ({@code xx[0]} = the carried-in previous token, or 0). It is computed as {@code xx + (x - xx) *
 * m}: the same function and gradients, with the difference shared by all mixes of a block (two
 * operations per mix instead of four), at the price of a last-bit rounding difference.
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
        // attach to the data's manager: a result of the caller-owned state would otherwise
        // accumulate in the state's manager on every call
        NDArray first = Tensors.local(previous.expandDims(1), x.getManager());
        return steps == 1
                ? first
                : first.concat(x.get(new NDIndex().addAllDim().addSliceDim(0, steps - 1)), 1);
    }

    /**
     * Mixes the current and the previous inputs.
     *
     * @param xx the previous inputs
     * @param difference {@code x - xx}
     * @param m the mixing vector {@code [1, 1, C]}
     * @return {@code x * m + xx * (1 - m)}, computed as {@code xx + (x - xx) * m}
     */
    static NDArray mix(NDArray xx, NDArray difference, NDArray m) {
        return difference.mul(m).add(xx);
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
