package ai.spikegpt.inference;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Element-wise work over the rows of a batch, which are independent: on ranges of rows in the
 * common fork-join pool when there is enough of it, on the calling thread otherwise.
 */
final class BatchRows {

    /** Below this many values the work runs on the calling thread alone. */
    private static final long PARALLEL_VALUES = 1 << 15;

    /** Work on the batch rows {@code [b0, b1)}. */
    interface Range {
        void run(int b0, int b1);
    }

    private BatchRows() {}

    /**
     * Runs work over batch rows {@code [0, batch)}.
     *
     * @param batch the batch rows
     * @param values how many values the work touches (decides whether to split it)
     * @param work the work on a range of rows
     */
    static void each(int batch, long values, Range work) {
        if (batch < 2 || values < PARALLEL_VALUES) {
            work.run(0, batch);
            return;
        }
        int tasks = Math.min(batch, 2 * (ForkJoinPool.getCommonPoolParallelism() + 1));
        IntStream.range(0, tasks)
                .parallel()
                .forEach(t -> work.run(batch * t / tasks, batch * (t + 1) / tasks));
    }
}
