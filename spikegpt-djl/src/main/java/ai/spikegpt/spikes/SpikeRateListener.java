package ai.spikegpt.spikes;

import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.spikegpt.model.SpikeGptClassifier;
import ai.spikegpt.model.SpikeGptModel;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DJL training listener that logs the firing rate of every spiking layer: at the end of each
 * epoch, and every {@code interval} training batches if one is given. Add it to the training
 * configuration's listeners:
 *
 * <pre>{@code
 * SpikeRateListener rates = new SpikeRateListener();          // or new SpikeRateListener(100)
 * config.addTrainingListeners(rates);
 * ... EasyTrain.fit(trainer, ...) ...
 * Map<String, Double> last = rates.getLastRates();             // {emb=0.49, 0.lif1=0.11, ...}
 * }</pre>
 *
 * <p>It attaches a {@link SpikeMonitor} to the trainer's model ({@link SpikeGptModel} or the model
 * inside a {@link SpikeGptClassifier}) when training begins and detaches it when training ends. A
 * report covers every forward pass since the previous report (training and validation batches); the
 * monitor only reads the spikes, so training is unchanged.
 */
public final class SpikeRateListener extends TrainingListenerAdapter {

    private static final Logger logger = LoggerFactory.getLogger(SpikeRateListener.class);

    private final int interval;
    private SpikeMonitor monitor;
    private int batches;
    private int epoch;
    private SpikeStatistics last;

    /** Reports at the end of every epoch. */
    public SpikeRateListener() {
        this(0);
    }

    /**
     * Reports at the end of every epoch and every {@code interval} training batches.
     *
     * @param interval the number of training batches between reports, 0 for epoch ends only
     */
    public SpikeRateListener(int interval) {
        if (interval < 0) {
            throw new IllegalArgumentException(
                    "the report interval must be >= 0 batches, got " + interval);
        }
        this.interval = interval;
    }

    @Override
    public void onTrainingBegin(Trainer trainer) {
        monitor = SpikeMonitor.attach(spikeGptModel(trainer.getModel().getBlock()));
        batches = 0;
        epoch = 0;
    }

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        batches++;
        if (interval > 0 && batches % interval == 0) {
            report("batch " + batches);
        }
    }

    @Override
    public void onEpoch(Trainer trainer) {
        report("epoch " + epoch++);
    }

    @Override
    public void onTrainingEnd(Trainer trainer) {
        if (monitor != null) {
            if (monitor.statistics().positions() > 0) {
                report("end of training");
            }
            monitor.close();
            monitor = null;
        }
    }

    private void report(String when) {
        if (monitor == null) {
            return;
        }
        SpikeStatistics stats = monitor.statistics();
        if (stats.positions() == 0) {
            return;
        }
        last = stats;
        monitor.reset();
        logger.info(
                "spike rates, {} ({} tokens): {}", when, stats.positions(), format(stats.rates()));
    }

    private static String format(Map<String, Double> rates) {
        StringJoiner j = new StringJoiner(" ");
        rates.forEach((k, v) -> j.add(String.format(Locale.ROOT, "%s=%.2f%%", k, 100 * v)));
        return j.toString();
    }

    /**
     * Returns the rates of the last report, keyed {@code emb}, {@code 0.lif1}, {@code 0.lif2}, ...
     * (see {@link NeuronSite#key}).
     *
     * @return the rates, empty before the first report
     */
    public Map<String, Double> getLastRates() {
        return last == null
                ? Collections.emptyMap()
                : Collections.unmodifiableMap(new LinkedHashMap<>(last.rates()));
    }

    /**
     * Returns everything the last report counted (rates, never-firing fractions, streams), e.g. for
     * {@link OperationCounter} or a table.
     *
     * @return the statistics, or null before the first report
     */
    public SpikeStatistics getLastStatistics() {
        return last;
    }

    /**
     * Finds the SpikeGPT model of a block.
     *
     * @param block a {@link SpikeGptModel} or {@link SpikeGptClassifier}
     * @return the model
     */
    static SpikeGptModel spikeGptModel(Block block) {
        if (block instanceof SpikeGptModel m) {
            return m;
        }
        if (block instanceof SpikeGptClassifier c) {
            return c.getModel();
        }
        throw new IllegalArgumentException(
                "SpikeRateListener needs a trainer whose block is a SpikeGptModel or SpikeGptClassifier, got "
                        + (block == null ? "none" : block.getClass().getName()));
    }
}
