package ai.spikegpt.spikes;

import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.model.Variant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the operations of a forward pass from a {@link SpikeMonitor}'s statistics, for the spiking
 * model and for a same-shape non-spiking RWKV, as the SpikeGPT paper's energy estimate does: a
 * linear layer whose input is spikes performs synaptic accumulates ({@code SOPs = dense MACs x
 * input firing density}), one with a real-valued input performs MACs. Every formula is in {@code
 * docs/spikes.md}; in brief, with {@code N} token positions, {@code N'} of them with a previous
 * token, widths {@code C}, {@code H = ffn_mult C}, vocabulary {@code V}:
 *
 * <p><b>Which linear layers are spike-driven, and why.</b> No linear layer of SpikeGPT sees 0/1
 * spikes directly: {@code key, value, receptance} (both mixes) and the head see a LayerNorm of the
 * residual stream {@code x = LN0(e) + n} ({@code e} the binary embedding, {@code n} integer spike
 * counts), mixed with the previous token's. LayerNorm makes that real-valued, but the product still
 * decomposes into accumulates: with {@code A = W diag(m gamma1)}, {@code G = A diag(gamma0)},
 *
 * <pre>
 *   W (m . LN1(x)) = (1/s1) [ (1/s0) G e - (mu0/s0) G 1 + A beta0 + A n - mu1 A 1 ] + W (m . beta1)
 * </pre>
 *
 * {@code G e} and {@code A n} are column accumulations, one per embedding bit and per unit of spike
 * count; {@code G 1, A beta0, A 1, W(m beta1)} are constant vectors; {@code mu, s} are per-token
 * LayerNorm statistics. Per output and token-shift slot that leaves 4 multiplications and 3
 * additions of corrections, which are counted. The token shift mixes two LayerNorm outputs with
 * different statistics, so each of these layers runs twice: once on the current token's events and
 * once on the previous token's. Hence, per layer with {@code O} outputs:
 *
 * <pre>
 *   SOPs = O x (events_t + events_{t-1})      MACs = 4 O x slots      adds = 3 O x slots
 * </pre>
 *
 * (the head has no token shift: one slot). {@code att.output} (input {@code sigmoid(r) . wkv}) and
 * the SpikeGPT {@code ffn.value} (input {@code relu(k)^2}) have real-valued inputs: dense MACs.
 * SpikeGPT-B's {@code ffn.value} sees binary hidden spikes: {@code SOPs = C x spikes}.
 *
 * <p><b>Element-wise work</b> (per element; both models unless noted; multiplications, divisions
 * and exponentials count as one MAC each, additions, subtractions and comparisons as one add):
 * LayerNorm 3 MAC + 2 add (the spiking model's LN1, LN2 and LN_out need only the statistics: 1 MAC
 * + 1 add; LN0 in full); token shift (ANN only, folded into the weights in the spiking model) 1 MAC
 * per mixed input + 1 add per mix; WKV 7 MAC + 5 add; sigmoid gate and product 3 MAC + 1 add;
 * relu^2 1 MAC + 1 add; LIF 1 MAC + 2 add per neuron (Heaviside: 1 add); residual add: 1 add per
 * element in the ANN, 1 per spike in the spiking model.
 *
 * <p>Not modelled: memory traffic, dropout (training), the original RNN script's {@code
 * rescale_every} halving. A vanilla-RWKV model counts as its own ANN (ratio 1).
 */
public final class OperationCounter {

    private static final Logger logger = LoggerFactory.getLogger(OperationCounter.class);

    /**
     * Corrections per output and token-shift slot of a spike-count-driven layer: multiplications.
     */
    public static final int CORRECTION_MACS = 4;

    /** Corrections per output and token-shift slot of a spike-count-driven layer: additions. */
    public static final int CORRECTION_ADDS = 3;

    private final SpikeStatistics stats;
    private final SpikeGptConfig config;
    private final boolean spiking;
    private final long n;
    private final long c;
    private final List<OperationCount> rows = new ArrayList<>();

    private OperationCounter(SpikeStatistics stats) {
        this.stats = stats;
        this.config = stats.config();
        this.spiking = config.getVariant().spiking();
        this.n = stats.positions();
        this.c = config.getEmbeddingSize();
    }

    /**
     * Counts the operations.
     *
     * @param stats what a monitor counted
     * @param energy the energy model
     * @return the report
     */
    public static OperationReport count(SpikeStatistics stats, EnergyModel energy) {
        OperationCounter counter = new OperationCounter(stats);
        if (counter.config.getRescaleEvery() > 0) {
            logger.warn(
                    "rescale_every = {} halves the residual stream; the operation count ignores it",
                    counter.config.getRescaleEvery());
        }
        counter.countAll();
        return new OperationReport(stats, counter.rows, energy);
    }

    private void countAll() {
        long h = config.getFfnHiddenSize();
        boolean hiddenSpikes = config.getVariant() == Variant.SPIKEGPT_B;
        for (int i = 0; i < config.getLayers(); i++) {
            String g = Integer.toString(i);
            if (i == 0) {
                elementwise(g, "ln0", 3 * c, 2 * c, 3 * c, 2 * c);
            }
            layerNorm(g, "ln1");
            elementwise(g, "att.shift", 3 * c, c, spiking ? 0 : 3 * c, spiking ? 0 : c);
            for (String name : new String[] {"att.key", "att.value", "att.receptance"}) {
                fromStream(g, name, c, stats.attInput(i), true);
            }
            elementwise(g, "att.wkv", 7 * c, 5 * c, 7 * c, 5 * c);
            elementwise(g, "att.gate", 3 * c, c, 3 * c, c);
            dense(g, "att.output", c, c);
            neuron(g, "lif1", c, NeuronSite.LIF1, i);
            layerNorm(g, "ln2");
            elementwise(g, "ffn.shift", 2 * c, c, spiking ? 0 : 2 * c, spiking ? 0 : c);
            fromStream(g, "ffn.key", h, stats.ffnInput(i), true);
            fromStream(g, "ffn.receptance", c, stats.ffnInput(i), true);
            if (hiddenSpikes) {
                neuron(g, "ffn.hidden_lif", h, NeuronSite.FFN_HIDDEN, i);
                fromSpikes(g, "ffn.value", c, stats.firing(NeuronSite.FFN_HIDDEN, i));
            } else {
                elementwise(g, "ffn.relu2", h, h, h, h);
                dense(g, "ffn.value", h, c);
            }
            elementwise(g, "ffn.gate", 3 * c, c, 3 * c, c);
            neuron(g, "lif2", c, NeuronSite.LIF2, i);
        }
        layerNorm("head", "ln_out");
        fromStream("head", "head", config.getVocabSize(), stats.headInput(), false);
    }

    /** Element-wise work, given per token position. */
    private void elementwise(
            String g, String name, long annMacs, long annAdds, long macs, long adds) {
        if (!spiking) {
            macs = annMacs;
            adds = annAdds;
        }
        rows.add(
                new OperationCount(
                        g,
                        name,
                        InputKind.ELEMENTWISE,
                        Double.NaN,
                        n * annMacs,
                        n * annAdds,
                        0,
                        n * macs,
                        0,
                        n * adds));
    }

    /** LN1, LN2, LN_out: in full in the ANN, only the statistics in the spiking model. */
    private void layerNorm(String g, String name) {
        elementwise(g, name, 3 * c, 2 * c, c, c);
    }

    /** A linear layer with a real-valued input: dense MACs on both sides. */
    private void dense(String g, String name, long in, long out) {
        long macs = n * in * out;
        rows.add(new OperationCount(g, name, InputKind.REAL, 1.0, macs, 0, macs, macs, 0, 0));
    }

    /** A linear layer after a LayerNorm of the spike-count stream (see the class documentation). */
    private void fromStream(String g, String name, long out, StreamStats s, boolean tokenShift) {
        long annMacs = n * c * out;
        if (!spiking) {
            rows.add(
                    new OperationCount(
                            g, name, InputKind.REAL, 1.0, annMacs, 0, annMacs, annMacs, 0, 0));
            return;
        }
        long slots = s.positions() + (tokenShift ? s.previousPositions() : 0);
        long events = s.events() + (tokenShift ? s.previousEvents() : 0);
        // a real-valued embedding makes its LN0 part a dense product
        long denseMacs = config.isBinaryEmbedding() ? 0 : slots * c * out;
        long macs = denseMacs + CORRECTION_MACS * out * slots;
        long adds = CORRECTION_ADDS * out * slots;
        double density = n == 0 ? Double.NaN : events / ((double) n * c);
        rows.add(
                new OperationCount(
                        g,
                        name,
                        InputKind.SPIKE_COUNTS,
                        density,
                        annMacs,
                        0,
                        denseMacs,
                        macs,
                        out * events,
                        adds));
    }

    /** A linear layer whose input is 0/1 spikes (SpikeGPT-B's ffn.value). */
    private void fromSpikes(String g, String name, long out, FiringStats in) {
        long annMacs = n * in.width() * out;
        rows.add(
                new OperationCount(
                        g,
                        name,
                        InputKind.SPIKES,
                        in.rate(),
                        annMacs,
                        0,
                        0,
                        0,
                        out * in.spikes(),
                        0));
    }

    /**
     * A spiking neuron and the residual add that follows it (ANN: relu² for the hidden neuron, a
     * dense residual add for lif1/lif2).
     */
    private void neuron(String g, String name, long width, NeuronSite site, int layer) {
        boolean residual = site != NeuronSite.FFN_HIDDEN;
        long annMacs = residual ? 0 : n * width; // relu²'s square
        long annAdds = n * width; // the residual add, or relu's comparison
        if (!spiking) {
            rows.add(
                    new OperationCount(
                            g,
                            name,
                            InputKind.ELEMENTWISE,
                            Double.NaN,
                            annMacs,
                            annAdds,
                            0,
                            annMacs,
                            0,
                            annAdds));
            return;
        }
        boolean lif = config.getVariant() != Variant.HEAVISIDE_RWKV;
        long macs = lif ? n * width : 0;
        long adds = (lif ? 2 : 1) * n * width;
        if (residual) {
            adds += stats.firing(site, layer).spikes(); // x += s: one add per spike
        }
        rows.add(
                new OperationCount(
                        g,
                        name,
                        InputKind.ELEMENTWISE,
                        Double.NaN,
                        annMacs,
                        annAdds,
                        0,
                        macs,
                        0,
                        adds));
    }
}
