package ai.spikegpt.model;

import ai.djl.inference.streaming.StreamingBlock;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import ai.spikegpt.nn.BinaryEmbedding;
import ai.spikegpt.nn.LifNeuron;
import ai.spikegpt.nn.OrthogonalInitializer;
import ai.spikegpt.nn.SpikingNeuron;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SpikeGPT language model (NLG): binary embedding, {@code n_layer} {@link SpikeGptBlock}s,
 * {@code ln_out} and the generation head.
 *
 * <pre>
 *   x = H(emb[tokens]);  x = block_L(... block_1(x));  logits = head(LN_out(x))     [B, T, V]
 * </pre>
 *
 * <p>One model, two forms. {@link #forward(ParameterStore, NDArray, SpikeGptState, boolean,
 * ActivationRecorder)} runs a whole {@code [B, T]} batch in parallel (training, prompt prefill)
 * from a caller-owned {@link SpikeGptState} and returns the next state; feeding one token at a time
 * with the returned state is the recurrent form, and both give the same logits.
 *
 * <p>As a DJL block: input {@code NDList(tokens [B, T])} gives {@code NDList(logits)}; input {@code
 * NDList(tokens, state...)} (the arrays of {@link SpikeGptState#toNDList()}) gives {@code
 * NDList(logits, next state...)}, so the recurrent form also runs through a {@code Predictor}. That
 * is all the block does: generation drives it from outside ({@code
 * ai.spikegpt.generate.SpikeGptGenerator}, the text-generation translators).
 *
 * <p>{@link #namedParameters()} maps the original PyTorch names ({@code emb.weight}, {@code
 * blocks.3.att.time_decay}, ...) to this block's parameters.
 *
 * <p>Paper: Zhu, Zhao, Li, Eshraghian, "SpikeGPT: Generative Pre-trained Language Model with
 * Spiking Neural Networks", arXiv 2302.13939.
 */
public final class SpikeGptModel extends AbstractBlock implements StreamingBlock {

    private static final byte VERSION = 1;

    private final SpikeGptConfig config;
    final BinaryEmbedding emb;
    final List<SpikeGptBlock> blocks;
    final LayerNorm lnOut;
    final Linear head;
    private volatile ActivationRecorder attachedRecorder;

    /**
     * Builds an uninitialised model; its parameters get the configuration's initial values on
     * {@code initialize}, or load them with {@link ai.spikegpt.io.ModelIO}.
     *
     * @param config the configuration
     */
    public SpikeGptModel(SpikeGptConfig config) {
        super(VERSION);
        this.config = config;
        emb =
                addChildBlock(
                        "emb",
                        new BinaryEmbedding(
                                config.getVocabSize(),
                                config.getEmbeddingSize(),
                                config.isBinaryEmbedding(),
                                config.getSurrogate()));
        List<SpikeGptBlock> list = new ArrayList<>();
        for (int i = 0; i < config.getLayers(); i++) {
            list.add(addChildBlock("block" + i, new SpikeGptBlock(config, i)));
        }
        blocks = Collections.unmodifiableList(list);
        lnOut = addChildBlock("ln_out", SpikeGptBlock.layerNorm(config));
        head = addChildBlock("head", TimeMix.linear(config.getVocabSize()));
        applyInitScheme();
    }

    /** The output of a forward pass. */
    public record Output(NDArray logits, NDArray hidden, SpikeGptState state) {}

    /**
     * Runs the model over a batch of sequences from a state.
     *
     * @param ps the parameter store
     * @param tokens token ids {@code [B, T]}
     * @param state the state before the tokens, or null for the empty state
     * @param training whether this is a training pass (dropout, surrogate gradients)
     * @param recorder receives intermediate values, or null
     * @return logits {@code [B, T, V]}, the {@code ln_out} output {@code [B, T, C]} and the state
     *     after the last token
     */
    public Output forward(
            ParameterStore ps,
            NDArray tokens,
            SpikeGptState state,
            boolean training,
            ActivationRecorder recorder) {
        Hidden trunk = forwardHidden(ps, tokens, state, training, recorder);
        NDArray logits = TimeMix.apply(ps, head, trunk.hidden(), training);
        return new Output(logits, trunk.hidden(), trunk.state());
    }

    /**
     * Returns the final hidden states ({@code ln_out} output) without the generation head, e.g. for
     * a classification head.
     *
     * @param ps the parameter store
     * @param tokens token ids {@code [B, T]}
     * @param training whether this is a training pass
     * @param recorder receives intermediate values, or null
     * @return the hidden states {@code [B, T, C]}
     */
    public NDArray hidden(
            ParameterStore ps, NDArray tokens, boolean training, ActivationRecorder recorder) {
        return forwardHidden(ps, tokens, null, training, recorder).hidden();
    }

    /**
     * The output of a forward pass without the generation head.
     *
     * @param hidden the {@code ln_out} output {@code [B, T, C]}
     * @param state the state after the last token
     */
    public record Hidden(NDArray hidden, SpikeGptState state) {}

    /**
     * Runs the model without the generation head over a batch of sequences from a state: what a
     * classifier needs to read a long text in pieces, carrying the state from one to the next,
     * without computing vocabulary logits it would throw away.
     *
     * @param ps the parameter store
     * @param tokens token ids {@code [B, T]}
     * @param state the state before the tokens, or null for the empty state
     * @param training whether this is a training pass
     * @param recorder receives intermediate values, or null
     * @return the hidden states and the state after the last token
     */
    public Hidden forwardHidden(
            ParameterStore ps,
            NDArray tokens,
            SpikeGptState state,
            boolean training,
            ActivationRecorder recorder) {
        if (tokens.getShape().dimension() != 2) {
            throw new IllegalArgumentException(
                    "SpikeGPT expects token ids of shape [batch, time], got " + tokens.getShape());
        }
        if (state != null && state.layers() != blocks.size()) {
            throw new IllegalArgumentException(
                    "the state has " + state.layers() + " layers, the model " + blocks.size());
        }
        if (state != null && state.batchSize() != tokens.getShape().get(0)) {
            throw new IllegalArgumentException(
                    "the state is for a batch of "
                            + state.batchSize()
                            + ", the tokens for "
                            + tokens.getShape().get(0));
        }
        if (recorder == null) {
            recorder = attachedRecorder;
        }
        NDArray x = emb.embed(ps, tokens, training);
        if (recorder != null) {
            recorder.record(-1, ActivationSite.EMB.id(), x.stopGradient());
        }
        LayerState[] next = new LayerState[blocks.size()];
        for (SpikeGptBlock block : blocks) {
            SpikeGptBlock.Output out =
                    block.forward(
                            ps,
                            x,
                            state == null ? null : state.layer(block.layer),
                            training,
                            recorder);
            x = out.x();
            next[block.layer] = out.state();
        }
        NDArray h = lnOut.forward(ps, new NDList(x), training).head();
        return new Hidden(h, new SpikeGptState(next));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray tokens = inputs.get(0);
        if (inputs.size() == 1) {
            return new NDList(forward(ps, tokens, null, training, null).logits());
        }
        SpikeGptState state = SpikeGptState.fromNDList(inputs.subNDList(1), config);
        Output out = forward(ps, tokens, state, training, null);
        NDList result = new NDList(out.logits());
        result.addAll(out.state().toNDList());
        return result;
    }

    /**
     * Streams this block's output for DJL's {@code Predictor.streamingPredict}: one element, the
     * whole {@code forward} output (the logits and, given a state, the next state). Generation
     * streams its tokens on top of it, in {@link
     * ai.spikegpt.translator.StreamingTextGenerationTranslator}: the block itself only maps tokens
     * and a state to logits and a state.
     */
    @Override
    public Iterator<NDList> forwardStreamIter(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return List.of(forward(ps, inputs, training, params)).iterator();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape t = inputShapes[0];
        return new Shape[] {new Shape(t.get(0), t.get(1), config.getVocabSize())};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape hiddenShape = new Shape(1, 1, config.getEmbeddingSize());
        emb.initialize(manager, dataType, new Shape(1, 1));
        for (SpikeGptBlock block : blocks) {
            block.initialize(manager, dataType, hiddenShape);
        }
        lnOut.initialize(manager, dataType, hiddenShape);
        head.initialize(manager, dataType, hiddenShape);
    }

    /**
     * Attaches a recorder that sees every forward pass from now on (until replaced or set to null),
     * including those that DJL's {@code Trainer} and {@code Predictor} run. A recorder passed to a
     * forward call takes precedence.
     *
     * @param recorder the recorder, or null to detach
     */
    public void setActivationRecorder(ActivationRecorder recorder) {
        this.attachedRecorder = recorder;
    }

    /**
     * @return the attached recorder, or null
     */
    public ActivationRecorder getActivationRecorder() {
        return attachedRecorder;
    }

    /**
     * @return the configuration
     */
    public SpikeGptConfig getConfig() {
        return config;
    }

    /**
     * @return the number of blocks
     */
    public int getLayers() {
        return blocks.size();
    }

    /**
     * Returns the parameters under their original PyTorch names, in the original {@code state_dict}
     * order. Parameters the original has no counterpart for (learnable neuron parameters) get names
     * in the same style, e.g. {@code blocks.0.lif1.decay_logit}.
     *
     * @return an ordered map from name to parameter
     */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        out.put("emb.weight", emb.getWeight());
        for (SpikeGptBlock b : blocks) {
            String p = "blocks." + b.layer + ".";
            putNorm(out, p + "ln1", b.ln1);
            putNorm(out, p + "ln2", b.ln2);
            if (b.ln0 != null) {
                putNorm(out, p + "ln0", b.ln0);
            }
            TimeMix a = b.att;
            out.put(p + "att.time_decay", a.timeDecay);
            out.put(p + "att.time_first", a.timeFirst);
            out.put(p + "att.time_mix_k", a.timeMixK);
            out.put(p + "att.time_mix_v", a.timeMixV);
            out.put(p + "att.time_mix_r", a.timeMixR);
            out.put(p + "att.key.weight", weight(a.key));
            out.put(p + "att.value.weight", weight(a.value));
            out.put(p + "att.receptance.weight", weight(a.receptance));
            out.put(p + "att.output.weight", weight(a.output));
            ChannelMix f = b.ffn;
            out.put(p + "ffn.time_mix_k", f.timeMixK);
            out.put(p + "ffn.time_mix_r", f.timeMixR);
            out.put(p + "ffn.key.weight", weight(f.key));
            out.put(p + "ffn.receptance.weight", weight(f.receptance));
            out.put(p + "ffn.value.weight", weight(f.value));
            putNeuron(out, p + "ffn.hidden_lif", f.hiddenNeuron);
            putNeuron(out, p + "lif1", b.neuron1);
            putNeuron(out, p + "lif2", b.neuron2);
        }
        putNorm(out, "ln_out", lnOut);
        out.put("head.weight", weight(head));
        return out;
    }

    private static void putNorm(Map<String, Parameter> out, String name, LayerNorm ln) {
        out.put(name + ".weight", ln.getParameters().get("gamma"));
        out.put(name + ".bias", ln.getParameters().get("beta"));
    }

    private static void putNeuron(Map<String, Parameter> out, String name, SpikingNeuron neuron) {
        if (neuron != null) {
            neuron.getDirectParameters()
                    .forEach(p -> out.put(name + "." + p.getKey(), p.getValue()));
        }
    }

    static Parameter weight(Linear linear) {
        return linear.getParameters().get("weight");
    }

    /** Sets the initial values of the configuration's scheme (see {@link InitConfig}). */
    private void applyInitScheme() {
        InitConfig init = config.getInit();
        int v = config.getVocabSize();
        int c = config.getEmbeddingSize();
        boolean rwkv = "rwkv".equals(init.getScheme());
        for (SpikeGptBlock b : blocks) {
            Linear[] linears = {
                b.att.key,
                b.att.value,
                b.att.receptance,
                b.att.output,
                b.ffn.key,
                b.ffn.receptance,
                b.ffn.value
            };
            for (Linear l : linears) {
                float gain =
                        l == b.att.output
                                ? init.getAttOutGain()
                                : l == b.ffn.value ? init.getFfnValueGain() : 1f;
                long fanIn = l == b.ffn.value ? config.getFfnHiddenSize() : c;
                weight(l)
                        .setInitializer(
                                rwkv
                                        ? new OrthogonalInitializer(gain)
                                        : new UniformInitializer(gain / (float) Math.sqrt(fanIn)));
            }
        }
        emb.getWeight()
                .setInitializer(
                        rwkv
                                ? new OrthogonalInitializer(
                                        (float) (1e-4 * Math.sqrt(Math.max(v, c))))
                                : new NormalInitializer(1f));
        weight(head)
                .setInitializer(
                        rwkv
                                ? new OrthogonalInitializer(
                                        (float) (0.5 * (v > c ? Math.sqrt(v / (double) c) : 1.0)))
                                : new UniformInitializer(1f / (float) Math.sqrt(c)));
    }

    /**
     * Returns the LIF neurons of every block, in order (lif1, lif2 per block), for analysis.
     *
     * @return the neurons, empty for vanilla RWKV
     */
    public List<SpikingNeuron> neurons() {
        List<SpikingNeuron> out = new ArrayList<>();
        for (SpikeGptBlock b : blocks) {
            if (b.neuron1 != null) {
                out.add(b.neuron1);
                out.add(b.neuron2);
            }
        }
        return out;
    }

    /**
     * Returns whether the model's neurons are LIF neurons (they have a membrane to plot).
     *
     * @return true for SpikeGPT and SpikeGPT-B
     */
    public boolean hasLifNeurons() {
        return !blocks.isEmpty() && blocks.get(0).neuron1 instanceof LifNeuron;
    }
}
