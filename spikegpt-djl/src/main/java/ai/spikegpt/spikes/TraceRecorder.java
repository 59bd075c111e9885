package ai.spikegpt.spikes;

import ai.spikegpt.nn.SpikingNeuron;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the spikes and input currents of chosen blocks for plots ({@link SpikeTraces}): batch row 0
 * of the first forward pass, or of consecutive forwards when they continue each other, up to a
 * maximum number of tokens.
 */
final class TraceRecorder {

    private final Set<Integer> layers;
    private final int width;
    private final int maxTokens;
    private final boolean statefulForwards;
    private int start;
    private int end;
    private int traced;
    private Map<Integer, SpikeTraces.LayerTrace> traces;

    /**
     * @param layers the traced blocks
     * @param width the stream width C
     * @param maxTokens the most tokens kept
     * @param statefulForwards whether a forward pass continues the previous one's sequences
     */
    TraceRecorder(Set<Integer> layers, int width, int maxTokens, boolean statefulForwards) {
        this.layers = layers;
        this.width = width;
        this.maxTokens = maxTokens;
        this.statefulForwards = statefulForwards;
        reset();
    }

    /** Forgets the traces. */
    void reset() {
        traced = 0;
        traces = new LinkedHashMap<>();
        for (int layer : layers) {
            int size = maxTokens * width;
            traces.put(
                    layer,
                    new SpikeTraces.LayerTrace(
                            new float[size], new float[size], new float[size], new float[size]));
        }
    }

    /**
     * Starts a forward pass.
     *
     * @param forwards the forward passes so far, this one included
     * @param steps its tokens per sequence
     */
    void start(long forwards, int steps) {
        if (forwards > 1 && !statefulForwards) {
            start = end; // traces hold the first forward only
        } else {
            start = traced;
            end = Math.min(maxTokens, traced + steps);
            traced = end;
        }
    }

    /**
     * @param layer a block
     * @return whether it is traced
     */
    boolean traces(int layer) {
        return traces.containsKey(layer);
    }

    /**
     * @param layer a traced block
     * @param first the first neuron (else the second)
     * @param spikes its spikes {@code [B, T, C]}
     */
    void spikes(int layer, boolean first, float[] spikes) {
        SpikeTraces.LayerTrace t = traces.get(layer);
        if (t != null) {
            copy(spikes, first ? t.spikes1() : t.spikes2());
        }
    }

    /**
     * @param layer a traced block
     * @param first the first neuron's current, the time-mix output (else the channel mix's)
     * @param current the current {@code [B, T, C]}
     */
    void current(int layer, boolean first, float[] current) {
        SpikeTraces.LayerTrace t = traces.get(layer);
        if (t != null) {
            copy(current, first ? t.current1() : t.current2());
        }
    }

    private void copy(float[] values, float[] into) {
        int n = end - start;
        if (n > 0) {
            System.arraycopy(values, 0, into, start * width, n * width); // batch row 0
        }
    }

    /**
     * @param neurons the model's neurons, to recompute the potentials
     * @return a snapshot of the traces
     */
    SpikeTraces snapshot(List<SpikingNeuron> neurons) {
        return new SpikeTraces(traced, width, traces, neurons);
    }
}
