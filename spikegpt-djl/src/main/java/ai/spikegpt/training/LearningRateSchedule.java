package ai.spikegpt.training;

import ai.djl.training.tracker.CosineTracker;
import ai.djl.training.tracker.Tracker;

/**
 * A linear warm-up followed by a cosine decay, as a DJL {@link Tracker}:
 *
 * <pre>
 *   lr(n) = peak * n / warmup                                          n <= warmup
 *   lr(n) = last + (peak - last) (1 + cos(pi (n - warmup) / decay)) / 2  after (DJL's CosineTracker)
 * </pre>
 *
 * The decay length can be fixed after the warm-up has started ({@link #setTotalSteps}), which is
 * how a run given only a time budget decides its length from the measured step time.
 */
public final class LearningRateSchedule implements Tracker {

    private final float peak;
    private final float last;
    private final int warmup;
    private volatile Tracker decay;
    private volatile long totalSteps;

    /**
     * @param peak the learning rate after the warm-up
     * @param last the learning rate at the end
     * @param warmup the warm-up steps
     * @param totalSteps the length of the run, or 0 if not known yet
     */
    public LearningRateSchedule(float peak, float last, int warmup, long totalSteps) {
        this.peak = peak;
        this.last = last;
        this.warmup = warmup;
        if (totalSteps > 0) {
            setTotalSteps(totalSteps);
        }
    }

    /**
     * Fixes the length of the run.
     *
     * @param steps the total number of steps
     */
    public void setTotalSteps(long steps) {
        totalSteps = steps;
        decay =
                CosineTracker.builder()
                        .setBaseValue(peak)
                        .optFinalValue(last)
                        .setMaxUpdates(Math.toIntExact(Math.max(1, steps - warmup)))
                        .build();
    }

    /**
     * @return the length of the run, 0 if not fixed yet
     */
    public long getTotalSteps() {
        return totalSteps;
    }

    @Override
    public float getNewValue(int numUpdate) {
        if (numUpdate <= warmup) {
            return peak * numUpdate / Math.max(1, warmup);
        }
        if (decay == null) {
            throw new IllegalStateException(
                    "the schedule's length is not fixed yet: call setTotalSteps");
        }
        return decay.getNewValue(numUpdate - warmup);
    }
}
