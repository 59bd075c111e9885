package ai.spikegpt.nn;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Runs the Java-side loops (LIF dynamics, the WKV exponent) on all cores, one batch row per task:
 * while they run, the native engine's threads are idle.
 */
final class Parallel {

    /** Below this many elements a row loop is not worth splitting. */
    private static final long MIN_WORK = 1 << 15;

    private Parallel() {}

    /**
     * Calls {@code body} for every row, in parallel when there is enough work.
     *
     * @param rows the number of independent rows
     * @param workPerRow elements per row
     * @param body the work for one row
     */
    static void rows(int rows, long workPerRow, IntConsumer body) {
        if (rows > 1 && rows * workPerRow >= MIN_WORK) {
            IntStream.range(0, rows).parallel().forEach(body);
        } else {
            for (int r = 0; r < rows; r++) {
                body.accept(r);
            }
        }
    }
}
