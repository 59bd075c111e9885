package ai.spikegpt.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.spikegpt.nn.SpikingNeuron;

/**
 * The spiking receptance feed-forward network ("channel mix", SRFFN), a GLU-like gate. On the LN2
 * output {@code x [B, T, C]}:
 *
 * <pre>
 *   xx = x shifted by one token
 *   out = sigmoid(Wr (x mr + xx (1 - mr))) * Wv relu(Wk (x mk + xx (1 - mk)))^2     hidden = ffn_mult C
 * </pre>
 *
 * In SpikeGPT-B a LIF neuron replaces {@code relu(.)^2}, so the hidden layer is binary too.
 * Parameters (original names under {@code blocks.i.ffn.}): {@code time_mix_k/r [1, 1, C]}, {@code
 * key [H, C], receptance [C, C], value [C, H]} (bias-free).
 */
public final class ChannelMix extends SequenceBlock {

    private static final byte VERSION = 1;

    final Parameter timeMixK;
    final Parameter timeMixR;
    final Linear key;
    final Linear receptance;
    final Linear value;
    final SpikingNeuron hiddenNeuron;
    private final int channels;
    private final int hidden;

    /**
     * @param config the model configuration
     * @param layer the block index (for the initial values)
     * @param hiddenNeuron the neuron replacing relu² (SpikeGPT-B), or null
     */
    public ChannelMix(SpikeGptConfig config, int layer, SpikingNeuron hiddenNeuron) {
        super(VERSION);
        int c = config.getEmbeddingSize();
        int layers = config.getLayers();
        this.channels = c;
        this.hidden = config.getFfnHiddenSize();
        Shape mixShape = new Shape(1, 1, c);
        timeMixK =
                addParameter(
                        TimeMix.vector(
                                "time_mix_k", mixShape, RwkvInit.timeMix(layer, layers, c, 1, 0)));
        timeMixR =
                addParameter(
                        TimeMix.vector(
                                "time_mix_r", mixShape, RwkvInit.timeMix(layer, layers, c, 1, 0)));
        key = addChildBlock("key", TimeMix.linear(hidden));
        receptance = addChildBlock("receptance", TimeMix.linear(c));
        value = addChildBlock("value", TimeMix.linear(c));
        this.hiddenNeuron = hiddenNeuron == null ? null : addChildBlock("hidden_lif", hiddenNeuron);
    }

    /** The output, the hidden activation, and the states to carry on. */
    record Output(
            NDArray out, NDArray hiddenActivation, NDArray lastInput, NDArray hiddenMembrane) {}

    /**
     * Runs the channel mix over a sequence.
     *
     * @param ps the parameter store
     * @param x the LN2 output {@code [B, T, C]}
     * @param state the state before the sequence, or null for the empty state
     * @param training whether this is a training pass
     * @return the output {@code [B, T, C]} and the state to carry on
     */
    Output forward(ParameterStore ps, NDArray x, LayerState state, boolean training) {
        Device device = x.getDevice();
        NDArray xx = TokenShift.previous(x, state == null ? null : state.ffnXx());
        NDArray dx = x.sub(xx);
        NDArray k =
                TimeMix.apply(
                        ps,
                        key,
                        TokenShift.mix(xx, dx, ps.getValue(timeMixK, device, training)),
                        training);
        NDArray membrane = null;
        if (hiddenNeuron == null) {
            k = Activation.relu(k).square();
        } else {
            NDList spikes =
                    hiddenNeuron.spike(ps, k, state == null ? null : state.ffnLifV(), training);
            k = spikes.get(0);
            membrane = spikes.get(1);
        }
        NDArray r =
                Activation.sigmoid(
                        TimeMix.apply(
                                ps,
                                receptance,
                                TokenShift.mix(xx, dx, ps.getValue(timeMixR, device, training)),
                                training));
        NDArray out = r.mul(TimeMix.apply(ps, value, k, training));
        return new Output(out, k, TokenShift.last(x), membrane);
    }

    @Override
    NDArray forwardStateless(ParameterStore ps, NDArray x, boolean training) {
        return forward(ps, x, null, training).out();
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        initializeAll(manager, dataType, new Shape(1, 1, channels), key, receptance);
        initializeAll(manager, dataType, new Shape(1, 1, hidden), value, hiddenNeuron);
    }
}
