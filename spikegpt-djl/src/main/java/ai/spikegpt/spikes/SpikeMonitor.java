package ai.spikegpt.spikes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.spikegpt.model.ActivationRecorder;
import ai.spikegpt.model.ActivationSite;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.model.SpikeGptModel;
import ai.spikegpt.model.Variant;
import java.util.List;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the spikes of a {@link SpikeGptModel} while it runs, without changing what it computes:
 * firing rates and never-firing neurons per layer ({@link FiringStats}), the spike-event streams
 * that feed the linear layers ({@link StreamStats}, the input of {@link OperationCounter}), and
 * optionally {@link SpikeTraces} for plots.
 *
 * <pre>{@code
 * try (SpikeMonitor monitor = SpikeMonitor.attach(model)) {   // every later forward is counted,
 *     predictor.predict(...);                                 // including Trainer and Predictor ones
 *     SpikeStatistics stats = monitor.statistics();
 * }                                                           // close() detaches it
 * }</pre>
 *
 * <p>It is an {@link ActivationRecorder}: attached with {@link SpikeGptModel#setActivationRecorder}
 * or passed to a single {@code forward} call. The model hands it detached arrays; it copies the
 * values it needs into Java arrays and keeps only counts (and the bounded traces), so it holds no
 * native memory and its memory does not grow with the number of batches. Per forward pass it reads
 * the embedding and the spikes of every block ({@code B x T x C} floats each); the currents only
 * for traced blocks.
 *
 * <p>Rates are counted exactly: {@code rate = spikes / (positions x width)} with integer counts. In
 * training, dropout scales the residual stream; the rates stay exact, but the stream statistics
 * assume the inference form (integer spike counts).
 *
 * <p>The counting is done by {@link FiringCounts} (rates), {@link EventStreams} (event streams) and
 * {@link TraceRecorder} (traces); this class is the hook that feeds them.
 *
 * <p>Recording and reading are synchronised, but the monitor follows one forward pass at a time: do
 * not run forward passes of the monitored model concurrently while it is attached.
 */
public final class SpikeMonitor implements ActivationRecorder, AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(SpikeMonitor.class);

    private final SpikeGptModel model;
    private final int layers;
    private final int width;
    private final boolean spiking;
    private final boolean binaryEmbedding;
    private final boolean hiddenSpikes;
    private final FiringCounts counts;
    private final EventStreams streams;
    private final TraceRecorder traces;

    // the forward pass in progress
    private int batch;
    private int steps;

    private SpikeMonitor(Builder builder) {
        this.model = builder.model;
        SpikeGptConfig config = model.getConfig();
        this.layers = config.getLayers();
        this.width = config.getEmbeddingSize();
        this.spiking = config.getVariant().spiking();
        this.binaryEmbedding = spiking && config.isBinaryEmbedding();
        this.hiddenSpikes = config.getVariant() == Variant.SPIKEGPT_B;
        TreeSet<Integer> traceLayers = new TreeSet<>();
        for (int layer : builder.traceLayers) {
            if (layer < 0 || layer >= layers) {
                throw new IllegalArgumentException(
                        "cannot trace block "
                                + layer
                                + ": the model has blocks 0.."
                                + (layers - 1));
            }
            traceLayers.add(layer);
        }
        if (!traceLayers.isEmpty() && !spiking) {
            throw new IllegalArgumentException("a vanilla RWKV model has no spikes to trace");
        }
        counts =
                new FiringCounts(
                        layers,
                        width,
                        config.getFfnHiddenSize(),
                        binaryEmbedding,
                        spiking,
                        hiddenSpikes);
        streams = new EventStreams(layers, width, builder.statefulForwards);
        traces =
                new TraceRecorder(
                        traceLayers, width, builder.maxTraceTokens, builder.statefulForwards);
    }

    /**
     * Returns a builder for a monitor of a model.
     *
     * @param model the model to monitor
     * @return a new builder
     */
    public static Builder builder(SpikeGptModel model) {
        return new Builder(model);
    }

    /**
     * Creates a monitor without traces and attaches it to a model.
     *
     * @param model the model
     * @return the attached monitor
     */
    public static SpikeMonitor attach(SpikeGptModel model) {
        return builder(model).build().attach();
    }

    /**
     * Attaches this monitor to its model ({@link SpikeGptModel#setActivationRecorder}): every later
     * forward pass is counted, including those of a DJL {@code Trainer} or {@code Predictor}. It
     * replaces any recorder attached before.
     *
     * @return this monitor
     */
    public SpikeMonitor attach() {
        ActivationRecorder previous = model.getActivationRecorder();
        if (previous != null && previous != this) {
            logger.warn(
                    "replacing the activation recorder already attached to the model: {}",
                    previous);
        }
        model.setActivationRecorder(this);
        return this;
    }

    /** Detaches this monitor from its model, if it is the attached recorder. Counts are kept. */
    public void detach() {
        if (model.getActivationRecorder() == this) {
            model.setActivationRecorder(null);
        }
    }

    /**
     * @return whether this monitor is the model's attached recorder
     */
    public boolean isAttached() {
        return model.getActivationRecorder() == this;
    }

    /** Detaches the monitor (see {@link #detach()}). */
    @Override
    public void close() {
        detach();
    }

    /** Forgets every count and trace. */
    public synchronized void reset() {
        counts.reset();
        streams.reset();
        traces.reset();
    }

    @Override
    public synchronized void record(int layer, String name, NDArray value) {
        ActivationSite site = ActivationSite.of(name);
        if (site == null) {
            return; // other values are of no use here
        }
        switch (site) {
            case EMB -> startForward(value);
            case LN1 -> streams.enterTimeMix(layer);
            case LN2 -> streams.enterChannelMix(layer);
            case SPK1 -> fire(layer, value, true);
            case SPK2 -> fire(layer, value, false);
            case FFN_HIDDEN -> {
                if (hiddenSpikes) {
                    counts.hidden(layer, values(value, model.getConfig().getFfnHiddenSize()));
                }
            }
            case ATT, FFN -> {
                if (traces.traces(layer)) {
                    traces.current(layer, site == ActivationSite.ATT, values(value, width));
                }
            }
            case RESIDUAL -> {
                if (layer == layers - 1) {
                    streams.enterHead();
                }
            }
        }
    }

    private void startForward(NDArray emb) {
        Shape shape = emb.getShape();
        if (shape.dimension() != 3 || shape.get(2) != width) {
            throw new IllegalArgumentException(
                    "expected the embedding [B, T, " + width + "], got " + shape);
        }
        batch = Math.toIntExact(shape.get(0));
        steps = Math.toIntExact(shape.get(1));
        float[] e = null;
        if (binaryEmbedding) {
            e = values(emb, width);
            counts.embedding(e);
        }
        streams.start(batch, steps, e);
        counts.forward(batch, steps);
        traces.start(counts.forwards, steps);
    }

    private void fire(int layer, NDArray spikes, boolean first) {
        if (!spiking) {
            return; // vanilla RWKV: the "spikes" are the real-valued outputs
        }
        float[] s = values(spikes, width);
        counts.neuron(layer, first, s);
        streams.add(s);
        traces.spikes(layer, first, s);
    }

    private float[] values(NDArray a, int expectedWidth) {
        Shape shape = a.getShape();
        if (shape.dimension() != 3
                || shape.get(0) != batch
                || shape.get(1) != steps
                || shape.get(2) != expectedWidth) {
            throw new IllegalArgumentException(
                    "expected a recorded value of shape ["
                            + batch
                            + ", "
                            + steps
                            + ", "
                            + expectedWidth
                            + "], got "
                            + shape);
        }
        if (a.getDataType() == DataType.FLOAT32) {
            return a.toFloatArray();
        }
        try (NDArray f = a.toType(DataType.FLOAT32, true)) {
            return f.toFloatArray();
        }
    }

    /**
     * Returns a snapshot of everything counted so far.
     *
     * @return the statistics
     */
    public synchronized SpikeStatistics statistics() {
        return new SpikeStatistics(
                model.getConfig(),
                counts.forwards,
                counts.sequences,
                counts.positions,
                counts.layers(),
                streams.timeMixInputs(),
                streams.channelMixInputs(),
                streams.headInput());
    }

    /**
     * Returns the traces kept for plots.
     *
     * @return the traces (empty if the builder asked for none)
     */
    public synchronized SpikeTraces traces() {
        return traces.snapshot(spiking ? model.neurons() : List.of());
    }

    /**
     * @return the monitored model
     */
    public SpikeGptModel getModel() {
        return model;
    }

    /** Builds a {@link SpikeMonitor}; every setting is optional. */
    public static final class Builder {
        private final SpikeGptModel model;
        private int[] traceLayers = new int[0];
        private int maxTraceTokens = 256;
        private boolean statefulForwards;

        Builder(SpikeGptModel model) {
            if (model == null) {
                throw new IllegalArgumentException("a spike monitor needs a model");
            }
            this.model = model;
        }

        /**
         * Keeps spikes and currents of these blocks for plots (none by default).
         *
         * @param layers the block indices
         * @return this builder
         */
        public Builder optTraceLayers(int... layers) {
            this.traceLayers = layers.clone();
            return this;
        }

        /**
         * Sets how many tokens the traces keep (default 256).
         *
         * @param tokens the maximum
         * @return this builder
         */
        public Builder optMaxTraceTokens(int tokens) {
            if (tokens < 1) {
                throw new IllegalArgumentException(
                        "the traces need room for at least one token, got " + tokens);
            }
            this.maxTraceTokens = tokens;
            return this;
        }

        /**
         * Declares that each forward pass continues the sequences of the previous one from its
         * state (recurrent generation): the first token of a forward then has a previous token for
         * the token shift, and the traces continue. Off by default: every forward pass starts new
         * sequences, as in training and in prompt evaluation.
         *
         * @param stateful whether forwards continue each other
         * @return this builder
         */
        public Builder optStatefulForwards(boolean stateful) {
            this.statefulForwards = stateful;
            return this;
        }

        /**
         * @return the monitor, not yet attached (see {@link SpikeMonitor#attach()})
         */
        public SpikeMonitor build() {
            return new SpikeMonitor(this);
        }
    }
}
