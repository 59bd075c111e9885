package ai.spikegpt.training;

import ai.spikegpt.model.SpikeGptModel;
import ai.spikegpt.spikes.SpikeMonitor;
import ai.spikegpt.spikes.SpikeStatistics;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The firing rates of a training log row: they come from the interval's last batch. The monitor
 * reads the spikes without changing them and is attached for one batch in a log interval only,
 * which keeps its cost small.
 */
final class SpikeRateSampler {

    private final SpikeMonitor spikes;

    /**
     * @param block the model being trained, watched only between {@link #beforeBatch} and {@link
     *     #afterBatch}
     */
    SpikeRateSampler(SpikeGptModel block) {
        spikes = SpikeMonitor.attach(block);
        spikes.detach();
    }

    /**
     * @param sample whether this batch's spikes are counted (the last batch of a log interval)
     */
    void beforeBatch(boolean sample) {
        if (sample) {
            spikes.attach();
        }
    }

    void afterBatch() {
        spikes.detach();
    }

    /** Forgets the counts, for the next interval. */
    void reset() {
        spikes.reset();
    }

    /**
     * The mean firing rate over the monitored LIF layers, NaN where nothing spiked (vanilla RWKV).
     */
    double meanRate() {
        SpikeStatistics stats = spikes.statistics();
        return stats.positions() == 0
                ? Double.NaN
                : stats.rates().values().stream()
                        .mapToDouble(Double::doubleValue)
                        .average()
                        .orElse(Double.NaN);
    }

    /** Each layer's rate, as {@code name=12.3%} words. */
    String formatRates() {
        StringJoiner j = new StringJoiner(" ");
        spikes.statistics()
                .rates()
                .forEach((k, v) -> j.add(String.format(Locale.ROOT, "%s=%.1f%%", k, 100 * v)));
        return j.toString();
    }
}
