package ai.spikegpt.training;

/**
 * The steps between two rows of the training log: the sum of their losses and their throughput. A
 * checkpoint taken inside an interval carries its losses over, so that a resumed run writes the
 * same row.
 */
final class LogInterval {

    private double lossSum;
    private int lossCount;
    private long start = System.nanoTime();
    private long steps;

    /**
     * @param lossSum the losses a checkpoint carried over
     * @param lossCount how many
     */
    LogInterval(double lossSum, int lossCount) {
        this.lossSum = lossSum;
        this.lossCount = lossCount;
    }

    /**
     * @param loss the loss of one more step
     */
    void add(float loss) {
        lossSum += loss;
        lossCount++;
        steps++;
    }

    /**
     * @return the mean loss
     */
    double meanLoss() {
        return lossSum / lossCount;
    }

    /**
     * @return the sum of the losses
     */
    double lossSum() {
        return lossSum;
    }

    /**
     * @return how many losses were added
     */
    int lossCount() {
        return lossCount;
    }

    /**
     * @param tokensPerStep the tokens of one step
     * @return the tokens per second of this process's steps in the interval
     */
    double tokensPerSecond(long tokensPerStep) {
        double seconds = (System.nanoTime() - start) / 1e9;
        return steps * (double) tokensPerStep / seconds;
    }

    /** Starts the next interval. */
    void restart() {
        lossSum = 0;
        lossCount = 0;
        steps = 0;
        start = System.nanoTime();
    }
}
