package ai.spikegpt.training;

/**
 * The wall-time budget of a training run, counted over all of its processes (a resumed run
 * continues the time its checkpoint had used). A run given only a budget learns its length from the
 * step time measured during the warm-up.
 */
final class TimeBudget {

    private final double minutes;
    private final double secondsBefore;
    private final long start = System.nanoTime();

    /**
     * @param minutes the budget, 0 for none
     * @param secondsBefore the time earlier processes of the run used
     */
    TimeBudget(double minutes, double secondsBefore) {
        this.minutes = minutes;
        this.secondsBefore = secondsBefore;
    }

    /**
     * @return the seconds this process has trained
     */
    double processSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * @return the seconds the whole run has trained
     */
    double runSeconds() {
        return secondsBefore + processSeconds();
    }

    /**
     * @return whether the budget is used up
     */
    boolean exhausted() {
        return minutes > 0 && runSeconds() >= minutes * 60.0;
    }

    /**
     * @param step the steps done
     * @return the measured seconds per step
     */
    double secondsPerStep(long step) {
        return processSeconds() / step;
    }

    /**
     * @param step the steps done
     * @param secondsPerStep the measured seconds per step
     * @return the run length that fits the budget at that step time, at least one more step
     */
    long stepsThatFit(long step, double secondsPerStep) {
        return Math.max(step + 1, (long) (minutes * 60 / secondsPerStep));
    }

    /**
     * @return the seconds earlier processes of the run used
     */
    double secondsBefore() {
        return secondsBefore;
    }

    /**
     * @return the budget in minutes, 0 for none
     */
    double minutes() {
        return minutes;
    }
}
