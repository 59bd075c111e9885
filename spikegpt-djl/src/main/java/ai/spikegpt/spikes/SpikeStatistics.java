package ai.spikegpt.spikes;

import ai.spikegpt.model.SpikeGptConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of what a {@link SpikeMonitor} counted: the firing of every spiking layer ({@link
 * FiringStats}) and the event streams that feed the linear layers ({@link StreamStats}), over all
 * forward passes since the monitor was created or reset. It is immutable.
 */
public final class SpikeStatistics {

    private final SpikeGptConfig config;
    private final long forwards;
    private final long sequences;
    private final long positions;
    private final List<FiringStats> firing;
    private final List<StreamStats> attInputs;
    private final List<StreamStats> ffnInputs;
    private final StreamStats headInput;

    SpikeStatistics(
            SpikeGptConfig config,
            long forwards,
            long sequences,
            long positions,
            List<FiringStats> firing,
            List<StreamStats> attInputs,
            List<StreamStats> ffnInputs,
            StreamStats headInput) {
        this.config = config;
        this.forwards = forwards;
        this.sequences = sequences;
        this.positions = positions;
        this.firing = copyFiring(firing);
        this.attInputs = copyStreams(attInputs);
        this.ffnInputs = copyStreams(ffnInputs);
        this.headInput = headInput.copy();
    }

    private static List<FiringStats> copyFiring(List<FiringStats> list) {
        List<FiringStats> out = new ArrayList<>();
        for (FiringStats f : list) {
            out.add(f.copy());
        }
        return Collections.unmodifiableList(out);
    }

    private static List<StreamStats> copyStreams(List<StreamStats> list) {
        List<StreamStats> out = new ArrayList<>();
        for (StreamStats s : list) {
            out.add(s.copy());
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * @return the configuration of the monitored model
     */
    public SpikeGptConfig config() {
        return config;
    }

    /**
     * @return the number of forward passes counted
     */
    public long forwards() {
        return forwards;
    }

    /**
     * @return the number of sequences (batch rows) counted
     */
    public long sequences() {
        return sequences;
    }

    /**
     * @return the number of token positions counted (batch x time, summed over forwards)
     */
    public long positions() {
        return positions;
    }

    /**
     * Returns the firing statistics of every spiking site, in model order: the binary embedding (if
     * the model has one), then per block {@code lif1}, {@code ffn_hidden} (SpikeGPT-B) and {@code
     * lif2}. Empty for vanilla RWKV.
     *
     * @return the sites
     */
    public List<FiringStats> firing() {
        return firing;
    }

    /**
     * Returns one site's statistics.
     *
     * @param site the site
     * @param layer the block index (ignored for the embedding)
     * @return the statistics, or null if the model has no such site
     */
    public FiringStats firing(NeuronSite site, int layer) {
        String key = site.key(layer);
        for (FiringStats f : firing) {
            if (f.key().equals(key)) {
                return f;
            }
        }
        return null;
    }

    /**
     * Returns the firing rate of every site, keyed {@code emb}, {@code 0.lif1}, {@code 0.lif2}, ...
     * (see {@link NeuronSite#key}), in model order.
     *
     * @return the rates
     */
    public Map<String, Double> rates() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (FiringStats f : firing) {
            out.put(f.key(), f.rate());
        }
        return out;
    }

    /**
     * Returns the fraction of never-firing neurons of every site, keyed like {@link #rates()}.
     *
     * @return the fractions
     */
    public Map<String, Double> neverFiring() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (FiringStats f : firing) {
            out.put(f.key(), f.neverFiringFraction());
        }
        return out;
    }

    /**
     * @param layer the block index
     * @return the stream that block {@code layer}'s time mix receives through LN1
     */
    public StreamStats attInput(int layer) {
        return attInputs.get(layer);
    }

    /**
     * @param layer the block index
     * @return the stream that block {@code layer}'s channel mix receives through LN2
     */
    public StreamStats ffnInput(int layer) {
        return ffnInputs.get(layer);
    }

    /**
     * @return the stream that the generation head receives through LN_out
     */
    public StreamStats headInput() {
        return headInput;
    }
}
