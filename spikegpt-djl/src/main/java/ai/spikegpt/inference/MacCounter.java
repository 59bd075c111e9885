package ai.spikegpt.inference;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the multiply-accumulates of the matrix products: how many a dense product needs and how
 * many the event-driven one skipped because the input was exactly zero (a silent neuron, a negative
 * pre-activation of relu², a zero bit of the binary embedding).
 */
public final class MacCounter {

    private final LongAdder dense = new LongAdder();
    private final LongAdder skipped = new LongAdder();

    void add(long denseMacs, long skippedMacs) {
        dense.add(denseMacs);
        skipped.add(skippedMacs);
    }

    /**
     * @return the multiply-accumulates of dense products
     */
    public long dense() {
        return dense.sum();
    }

    /**
     * @return the multiply-accumulates skipped for zero inputs
     */
    public long skipped() {
        return skipped.sum();
    }

    /**
     * @return the fraction skipped, 0 if nothing ran
     */
    public double skippedFraction() {
        long d = dense();
        return d == 0 ? 0 : skipped() / (double) d;
    }

    /** Starts counting afresh. */
    public void reset() {
        dense.reset();
        skipped.reset();
    }
}
