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
import ai.spikegpt.nn.Wkv;

/**
 * The spiking RWKV ("time mix", SRWKV): SpikeGPT's replacement for self-attention, linear in the
 * sequence length. On the LN1 output {@code x [B, T, C]}:
 *
 * <pre>
 *   xx = x shifted by one token
 *   k = Wk (x mk + xx (1 - mk))     v = Wv (x mv + xx (1 - mv))     r = sigmoid(Wr (x mr + xx (1 - mr)))
 *   out = Wo (r * WKV(w = -exp(time_decay), u = time_first, k, v))
 * </pre>
 *
 * Parameters (original names under {@code blocks.i.att.}): {@code time_decay [C], time_first [C],
 * time_mix_k/v/r [1, 1, C]}, and the bias-free Linears {@code key, value, receptance, output}. The
 * output is the input current of the block's first LIF neuron. See {@link Wkv} for how the
 * recurrence is computed.
 */
public final class TimeMix extends SequenceBlock {

    private static final byte VERSION = 1;

    final Parameter timeDecay;
    final Parameter timeFirst;
    final Parameter timeMixK;
    final Parameter timeMixV;
    final Parameter timeMixR;
    final Linear key;
    final Linear value;
    final Linear receptance;
    final Linear output;
    private final int channels;

    /**
     * @param config the model configuration
     * @param layer the block index (for the initial values)
     */
    public TimeMix(SpikeGptConfig config, int layer) {
        super(VERSION);
        int c = config.getEmbeddingSize();
        int layers = config.getLayers();
        this.channels = c;
        timeDecay =
                addParameter(
                        vector("time_decay", new Shape(c), RwkvInit.timeDecay(layer, layers, c)));
        timeFirst = addParameter(vector("time_first", new Shape(c), RwkvInit.timeFirst(c)));
        Shape mixShape = new Shape(1, 1, c);
        timeMixK =
                addParameter(
                        vector("time_mix_k", mixShape, RwkvInit.timeMix(layer, layers, c, 1, 0)));
        timeMixV =
                addParameter(
                        vector("time_mix_v", mixShape, RwkvInit.timeMix(layer, layers, c, 1, 0.3)));
        timeMixR =
                addParameter(
                        vector("time_mix_r", mixShape, RwkvInit.timeMix(layer, layers, c, 0.5, 0)));
        key = addChildBlock("key", linear(c));
        value = addChildBlock("value", linear(c));
        receptance = addChildBlock("receptance", linear(c));
        output = addChildBlock("output", linear(c));
    }

    static Parameter vector(
            String name, Shape shape, ai.djl.training.initializer.Initializer init) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.WEIGHT)
                .optShape(shape)
                .optInitializer(init)
                .build();
    }

    static Linear linear(long units) {
        return Linear.builder().setUnits(units).optBias(false).build();
    }

    /** The output of a time mix over a sequence, and its recurrent state after the last token. */
    record Output(NDArray out, NDArray lastInput, Wkv.Result wkv) {}

    /**
     * Runs the time mix over a sequence.
     *
     * @param ps the parameter store
     * @param x the LN1 output {@code [B, T, C]}
     * @param state the state before the sequence, or null for the empty state
     * @param training whether this is a training pass
     * @return the output {@code [B, T, C]} and the state to carry on
     */
    Output forward(ParameterStore ps, NDArray x, LayerState state, boolean training) {
        Device device = x.getDevice();
        NDArray xx = TokenShift.previous(x, state == null ? null : state.attXx());
        NDArray dx = x.sub(xx);
        NDArray k =
                apply(
                        ps,
                        key,
                        TokenShift.mix(xx, dx, ps.getValue(timeMixK, device, training)),
                        training);
        NDArray v =
                apply(
                        ps,
                        value,
                        TokenShift.mix(xx, dx, ps.getValue(timeMixV, device, training)),
                        training);
        NDArray r =
                Activation.sigmoid(
                        apply(
                                ps,
                                receptance,
                                TokenShift.mix(xx, dx, ps.getValue(timeMixR, device, training)),
                                training));
        NDArray decay = ps.getValue(timeDecay, device, training);
        NDArray u = ps.getValue(timeFirst, device, training);
        Wkv.Result wkv =
                state == null
                        ? Wkv.forward(decay, u, k, v, null, null, null, training)
                        : Wkv.forward(decay, u, k, v, state.aa(), state.bb(), state.pp(), training);
        NDArray out = apply(ps, output, r.mul(wkv.y()), training);
        return new Output(out, TokenShift.last(x), wkv);
    }

    static NDArray apply(ParameterStore ps, Linear linear, NDArray x, boolean training) {
        return linear.forward(ps, new NDList(x), training).head();
    }

    @Override
    NDArray forwardStateless(ParameterStore ps, NDArray x, boolean training) {
        return forward(ps, x, null, training).out();
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        initializeAll(manager, dataType, new Shape(1, 1, channels), key, value, receptance, output);
    }
}
