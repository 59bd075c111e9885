package ai.spikegpt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.spikegpt.nn.HeavisideNeuron;
import ai.spikegpt.nn.LifNeuron;
import ai.spikegpt.nn.SegmentedBackward;
import ai.spikegpt.nn.SpikingNeuron;
import ai.spikegpt.nn.Tensors;

/**
 * One SpikeGPT block: a spiking RWKV and a spiking receptance FFN, each followed by a spiking
 * neuron and added to the residual stream (SEW-style: the stream holds integer spike counts).
 *
 * <pre>
 *   x = LN0(x)                              (block 0 only)
 *   x = x + LIF1( TimeMix( LN1(x) ) )
 *   x = x + LIF2( ChannelMix( LN2(x) ) )
 *   x = dropout(x)                          (training only)
 * </pre>
 *
 * The neurons follow the {@link Variant}: LIF (SpikeGPT, SpikeGPT-B), Heaviside (Heaviside RWKV) or
 * none (vanilla RWKV). LayerNorms: eps from the configuration, biased variance, affine.
 */
public final class SpikeGptBlock extends SequenceBlock {

    private static final byte VERSION = 1;

    final int layer;
    final LayerNorm ln0;
    final LayerNorm ln1;
    final LayerNorm ln2;
    final TimeMix att;
    final ChannelMix ffn;
    final SpikingNeuron neuron1;
    final SpikingNeuron neuron2;
    private final Dropout dropout;
    private final int channels;
    private final float outputScale; // the original RNN's rescaling: 1 / 2^(layer / rescale_every)
    private final boolean halveAfter; // and x / 2 after every rescale_every-th block

    /**
     * @param config the model configuration
     * @param layer the block index
     */
    public SpikeGptBlock(SpikeGptConfig config, int layer) {
        super(VERSION);
        this.layer = layer;
        this.channels = config.getEmbeddingSize();
        ln0 = layer == 0 ? addChildBlock("ln0", layerNorm(config)) : null;
        ln1 = addChildBlock("ln1", layerNorm(config));
        ln2 = addChildBlock("ln2", layerNorm(config));
        att = addChildBlock("att", new TimeMix(config, layer));
        ffn =
                addChildBlock(
                        "ffn",
                        new ChannelMix(
                                config,
                                layer,
                                config.getVariant() == Variant.SPIKEGPT_B
                                        ? newNeuron(config)
                                        : null));
        neuron1 = config.getVariant().spiking() ? addChildBlock("lif1", newNeuron(config)) : null;
        neuron2 = config.getVariant().spiking() ? addChildBlock("lif2", newNeuron(config)) : null;
        dropout =
                config.getDropout() > 0
                        ? Dropout.builder().optRate(config.getDropout()).build()
                        : null;
        int every = config.getRescaleEvery();
        outputScale = every > 0 ? (float) Math.pow(2, -(layer / every)) : 1f;
        halveAfter = every > 0 && (layer + 1) % every == 0;
    }

    static LayerNorm layerNorm(SpikeGptConfig config) {
        return LayerNorm.builder().axis(2).optEpsilon(config.getLayerNormEps()).build();
    }

    /**
     * Creates the spiking neuron that the configuration's variant asks for.
     *
     * @param config the configuration
     * @return a LIF neuron, or a Heaviside neuron for Heaviside RWKV
     */
    static SpikingNeuron newNeuron(SpikeGptConfig config) {
        if (config.getVariant() == Variant.HEAVISIDE_RWKV) {
            return new HeavisideNeuron(
                    config.getSurrogate(), config.getThreshold(), config.isLearnableThreshold());
        }
        return LifNeuron.builder()
                .optTau(config.getTau())
                .optThreshold(config.getThreshold())
                .optResetPotential(config.getResetPotential())
                .optResetMode(config.getResetMode())
                .optDetachReset(config.isDetachReset())
                .optSurrogate(config.getSurrogate())
                .optLearnableTau(config.isLearnableTau())
                .optLearnableThreshold(config.isLearnableThreshold())
                .build();
    }

    /** The block's output and its state after the last token. */
    record Output(NDArray x, LayerState state) {}

    /**
     * Runs the block over a sequence.
     *
     * @param ps the parameter store
     * @param x the residual stream {@code [B, T, C]}
     * @param state the state before the sequence, or null for the empty state
     * @param training whether this is a training pass (dropout, surrogate gradients)
     * @param recorder receives intermediate values, or null
     * @return the residual stream after the block and the state to carry on
     */
    Output forward(
            ParameterStore ps,
            NDArray x,
            LayerState state,
            boolean training,
            ActivationRecorder recorder) {
        SegmentedBackward tape = training ? SegmentedBackward.recording() : null;
        if (tape != null) {
            x = tape.cut(x); // each block's backward segments then end at its input
        }
        if (ln0 != null) {
            x = norm(ps, ln0, x, training);
        }
        NDArray a = norm(ps, ln1, x, training);
        TimeMix.Output attOut = att.forward(ps, a, state, training);
        NDList s1 =
                fire(
                        ps,
                        neuron1,
                        rescale(attOut.out()),
                        state == null ? null : state.lif1V(),
                        training);
        x = x.add(s1.get(0));
        NDArray f = norm(ps, ln2, x, training);
        ChannelMix.Output ffnOut = ffn.forward(ps, f, state, training);
        NDList s2 =
                fire(
                        ps,
                        neuron2,
                        rescale(ffnOut.out()),
                        state == null ? null : state.lif2V(),
                        training);
        x = x.add(s2.get(0));
        if (halveAfter) {
            x = x.mul(Tensors.scalar(x.getManager(), 0.5f));
        }
        if (recorder != null) {
            recorder.record(layer, ActivationSite.LN1.id(), a.stopGradient());
            recorder.record(layer, ActivationSite.ATT.id(), attOut.out().stopGradient());
            recorder.record(layer, ActivationSite.SPK1.id(), s1.get(0).stopGradient());
            recorder.record(layer, ActivationSite.LN2.id(), f.stopGradient());
            recorder.record(
                    layer,
                    ActivationSite.FFN_HIDDEN.id(),
                    ffnOut.hiddenActivation().stopGradient());
            recorder.record(layer, ActivationSite.FFN.id(), ffnOut.out().stopGradient());
            recorder.record(layer, ActivationSite.SPK2.id(), s2.get(0).stopGradient());
            recorder.record(layer, ActivationSite.RESIDUAL.id(), x.stopGradient());
        }
        if (dropout != null && training) {
            x = dropout.forward(ps, new NDList(x), true).head();
        }
        LayerState next =
                new LayerState(
                        attOut.lastInput(),
                        attOut.wkv().aa(),
                        attOut.wkv().bb(),
                        attOut.wkv().pp(),
                        ffnOut.lastInput(),
                        s1.get(1),
                        s2.get(1),
                        ffnOut.hiddenMembrane());
        return new Output(x, next);
    }

    /** The original RNN script's output scaling (identity unless rescale_every is set). */
    private NDArray rescale(NDArray out) {
        return outputScale == 1f ? out : out.mul(Tensors.scalar(out.getManager(), outputScale));
    }

    private static NDArray norm(ParameterStore ps, LayerNorm ln, NDArray x, boolean training) {
        return ln.forward(ps, new NDList(x), training).head();
    }

    /** Passes a current through a neuron, or through unchanged for vanilla RWKV. */
    private static NDList fire(
            ParameterStore ps,
            SpikingNeuron neuron,
            NDArray current,
            NDArray v0,
            boolean training) {
        if (neuron == null) {
            Shape membrane = new Shape(current.getShape().get(0), current.getShape().get(2));
            return new NDList(current, current.getManager().zeros(membrane));
        }
        return neuron.spike(ps, current, v0, training);
    }

    @Override
    NDArray forwardStateless(ParameterStore ps, NDArray x, boolean training) {
        return forward(ps, x, null, training, null).x();
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape shape = new Shape(1, 1, channels);
        initializeAll(manager, dataType, shape, ln0, ln1, ln2, att, ffn, neuron1, neuron2);
    }
}
