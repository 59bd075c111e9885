package ai.spikegpt.model;

import ai.djl.ndarray.NDArray;

/**
 * The recurrent state of one SpikeGPT block after a token, each field {@code [B, C]} (the
 * reference's field order):
 *
 * <ul>
 *   <li>{@code attXx}: the LN1 output of the previous token (time-mix token shift);
 *   <li>{@code aa, bb, pp}: the WKV numerator, denominator and exponent;
 *   <li>{@code ffnXx}: the LN2 output of the previous token (channel-mix token shift);
 *   <li>{@code lif1V, lif2V}: the membranes of the LIF neurons after time mix and channel mix;
 *   <li>{@code ffnLifV}: SpikeGPT-B only, the membrane of the LIF inside the channel mix, {@code
 *       [B, ffn_mult C]}; null otherwise.
 * </ul>
 *
 * Without the membranes the recurrent form could not reproduce the parallel form: the LIF neurons
 * remember across tokens.
 */
public record LayerState(
        NDArray attXx,
        NDArray aa,
        NDArray bb,
        NDArray pp,
        NDArray ffnXx,
        NDArray lif1V,
        NDArray lif2V,
        NDArray ffnLifV) {

    /** The number of {@code [B, C]} fields, the second axis of {@link SpikeGptState#pack()}. */
    public static final int FIELDS = 7;

    /**
     * Returns the {@code [B, C]} field at the reference's index: 0 att_xx, 1 aa, 2 bb, 3 pp, 4
     * ffn_xx, 5 lif1_v, 6 lif2_v.
     *
     * @param index the field index
     * @return the field
     */
    public NDArray field(int index) {
        switch (index) {
            case 0:
                return attXx;
            case 1:
                return aa;
            case 2:
                return bb;
            case 3:
                return pp;
            case 4:
                return ffnXx;
            case 5:
                return lif1V;
            case 6:
                return lif2V;
            default:
                throw new IndexOutOfBoundsException("state field " + index + " of " + FIELDS);
        }
    }

    /**
     * Returns all arrays of this state, {@code ffnLifV} last if present.
     *
     * @return the arrays
     */
    public NDArray[] arrays() {
        return ffnLifV == null
                ? new NDArray[] {attXx, aa, bb, pp, ffnXx, lif1V, lif2V}
                : new NDArray[] {attXx, aa, bb, pp, ffnXx, lif1V, lif2V, ffnLifV};
    }

    /**
     * Builds a state from {@link #arrays()}' order.
     *
     * @param a 7 or 8 arrays
     * @return the state
     */
    public static LayerState of(NDArray... a) {
        return new LayerState(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a.length > 7 ? a[7] : null);
    }
}
