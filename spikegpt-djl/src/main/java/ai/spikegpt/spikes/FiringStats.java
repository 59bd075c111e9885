package ai.spikegpt.spikes;

import ai.djl.TrainingDivergedException;
import java.util.Arrays;

/**
 * The firing statistics of one layer of {@code width} spiking neurons, accumulated as counts over
 * every recorded token position (all batches, all sequences):
 *
 * <pre>
 *   rate           = spikes / (positions * width)                 fraction of (token, neuron) pairs that spike
 *   neuron rate_n  = spikes_n / positions
 *   never firing   = |{n : spikes_n = 0}| / width                 fraction of neurons silent on every token
 * </pre>
 *
 * Instances returned by {@link SpikeStatistics} are snapshots: they do not change afterwards.
 */
public final class FiringStats {

    private final NeuronSite site;
    private final int layer;
    private final long[] perNeuron;
    private long positions;
    private long spikes;

    FiringStats(NeuronSite site, int layer, int width) {
        this.site = site;
        this.layer = layer;
        this.perNeuron = new long[width];
    }

    private FiringStats(FiringStats other) {
        this.site = other.site;
        this.layer = other.layer;
        this.perNeuron = other.perNeuron.clone();
        this.positions = other.positions;
        this.spikes = other.spikes;
    }

    /**
     * Adds the spikes of a forward pass.
     *
     * @param values 0/1 values, row-major {@code [positions, width]}
     * @throws IllegalArgumentException if a value is not 0 or 1, or the width does not match
     * @throws TrainingDivergedException if a value is NaN
     */
    void add(float[] values) {
        int width = perNeuron.length;
        if (values.length % width != 0) {
            throw new IllegalArgumentException(
                    key()
                            + ": "
                            + values.length
                            + " values are not a whole number of rows of "
                            + width);
        }
        long count = 0;
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (v == 1f) {
                perNeuron[i % width]++;
                count++;
            } else if (Float.isNaN(v)) {
                // a NaN membrane, not a bad recording: the weights have diverged
                throw new TrainingDivergedException(
                        key() + " fired NaN: the model's values are no longer finite");
            } else if (v != 0f) {
                throw new IllegalArgumentException(
                        key() + " is not a spike map: it holds the value " + v);
            }
        }
        spikes += count;
        positions += values.length / width;
    }

    FiringStats copy() {
        return new FiringStats(this);
    }

    /**
     * @return the site
     */
    public NeuronSite site() {
        return site;
    }

    /**
     * @return the block index, -1 for the embedding
     */
    public int layer() {
        return layer;
    }

    /**
     * @return the key, e.g. {@code emb} or {@code 0.lif1}
     */
    public String key() {
        return site.key(layer);
    }

    /**
     * @return the number of neurons
     */
    public int width() {
        return perNeuron.length;
    }

    /**
     * @return the number of token positions seen
     */
    public long positions() {
        return positions;
    }

    /**
     * @return the number of spikes
     */
    public long spikes() {
        return spikes;
    }

    /**
     * @return the firing rate, spikes / (positions x width), NaN before any token
     */
    public double rate() {
        return positions == 0 ? Double.NaN : spikes / ((double) positions * perNeuron.length);
    }

    /**
     * @return the number of neurons that never fired
     */
    public int silentNeurons() {
        return (int) Arrays.stream(perNeuron).filter(c -> c == 0).count();
    }

    /**
     * @return the fraction of neurons that never fired, NaN before any token
     */
    public double neverFiringFraction() {
        return positions == 0 ? Double.NaN : silentNeurons() / (double) perNeuron.length;
    }

    /**
     * @return the spike count of every neuron (a copy)
     */
    public long[] spikesPerNeuron() {
        return perNeuron.clone();
    }
}
