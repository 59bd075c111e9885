package ai.spikegpt.spikes;

import ai.spikegpt.nn.LifNeuron;
import ai.spikegpt.nn.ResetMode;
import ai.spikegpt.nn.SpikingNeuron;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link SpikeMonitor} kept for plots: for a few blocks, the spikes of {@code lif1} and
 * {@code lif2} and their input currents (the time-mix and channel-mix outputs), for the first
 * sequence (batch row 0) of the first recorded forward pass, up to a maximum number of tokens. With
 * {@link SpikeMonitor.Builder#optStatefulForwards(boolean) stateful forwards} the traces continue
 * over later forward passes (e.g. token-by-token generation) until they are full.
 *
 * <p>The membrane potential is not recorded by the model; {@link #potential} recomputes it from the
 * currents with the neuron's own dynamics ({@link SpikingNeuron#potential}), starting at rest.
 */
public final class SpikeTraces {

    /** One block's traces, row-major {@code [tokens, width]}. */
    record LayerTrace(float[] spikes1, float[] spikes2, float[] current1, float[] current2) {}

    private final int tokens;
    private final int width;
    private final Map<Integer, LayerTrace> layers;
    private final List<SpikingNeuron> neurons;

    SpikeTraces(
            int tokens, int width, Map<Integer, LayerTrace> layers, List<SpikingNeuron> neurons) {
        this.tokens = tokens;
        this.width = width;
        Map<Integer, LayerTrace> copy = new LinkedHashMap<>();
        int size = tokens * width;
        layers.forEach(
                (k, v) ->
                        copy.put(
                                k,
                                new LayerTrace(
                                        Arrays.copyOf(v.spikes1(), size),
                                        Arrays.copyOf(v.spikes2(), size),
                                        Arrays.copyOf(v.current1(), size),
                                        Arrays.copyOf(v.current2(), size))));
        this.layers = Collections.unmodifiableMap(copy);
        this.neurons = neurons;
    }

    /**
     * @return the number of traced tokens
     */
    public int tokens() {
        return tokens;
    }

    /**
     * @return the number of neurons per traced site (C)
     */
    public int width() {
        return width;
    }

    /**
     * @return the traced block indices, in ascending order
     */
    public List<Integer> layers() {
        return List.copyOf(layers.keySet());
    }

    private LayerTrace trace(int layer, NeuronSite site) {
        LayerTrace t = layers.get(layer);
        if (t == null) {
            throw new IllegalArgumentException(
                    "block " + layer + " was not traced; traced: " + layers.keySet());
        }
        if (site != NeuronSite.LIF1 && site != NeuronSite.LIF2) {
            throw new IllegalArgumentException(
                    "traces hold lif1 and lif2 only, not " + site.label());
        }
        return t;
    }

    /**
     * @param layer a traced block
     * @param site {@link NeuronSite#LIF1} or {@link NeuronSite#LIF2}
     * @return the 0/1 spikes, row-major {@code [tokens, width]} (a copy)
     */
    public float[] spikes(int layer, NeuronSite site) {
        LayerTrace t = trace(layer, site);
        return (site == NeuronSite.LIF1 ? t.spikes1() : t.spikes2()).clone();
    }

    /**
     * @param layer a traced block
     * @param site {@link NeuronSite#LIF1} or {@link NeuronSite#LIF2}
     * @return the neuron's input currents, row-major {@code [tokens, width]} (a copy)
     */
    public float[] current(int layer, NeuronSite site) {
        LayerTrace t = trace(layer, site);
        return (site == NeuronSite.LIF1 ? t.current1() : t.current2()).clone();
    }

    /**
     * Recomputes the potential that the neuron compared with its threshold, {@code h[t]} (for a LIF
     * neuron the charged membrane before the reset), from rest.
     *
     * @param layer a traced block
     * @param site {@link NeuronSite#LIF1} or {@link NeuronSite#LIF2}
     * @return {@code h}, row-major {@code [tokens, width]}
     */
    public float[] potential(int layer, NeuronSite site) {
        return neuron(layer, site).potential(current(layer, site), 1, tokens, width, null);
    }

    /**
     * Returns the membrane after each step's reset, {@code v[t]}: {@code h[t]} without a spike;
     * after a spike the reset potential (hard reset) or {@code h[t] - v_th} (soft reset). A
     * memoryless neuron keeps no membrane: its {@code v[t] = h[t]}.
     *
     * @param layer a traced block
     * @param site {@link NeuronSite#LIF1} or {@link NeuronSite#LIF2}
     * @return {@code v}, row-major {@code [tokens, width]}
     */
    public float[] afterReset(int layer, NeuronSite site) {
        float[] h = potential(layer, site);
        float[] s = spikes(layer, site);
        SpikingNeuron neuron = neuron(layer, site);
        float[] v = h.clone();
        if (neuron instanceof LifNeuron lif) {
            float theta = lif.thresholdValue();
            for (int i = 0; i < v.length; i++) {
                if (s[i] != 0f) {
                    v[i] =
                            lif.getResetMode() == ResetMode.HARD
                                    ? lif.getResetPotential()
                                    : h[i] - theta;
                }
            }
        }
        return v;
    }

    /**
     * @param layer a traced block
     * @param site {@link NeuronSite#LIF1} or {@link NeuronSite#LIF2}
     * @return the neuron's threshold
     */
    public float threshold(int layer, NeuronSite site) {
        return neuron(layer, site).thresholdValue();
    }

    private SpikingNeuron neuron(int layer, NeuronSite site) {
        trace(layer, site);
        return neurons.get(2 * layer + (site == NeuronSite.LIF1 ? 0 : 1));
    }
}
