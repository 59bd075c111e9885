package ai.spikegpt.spikes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.spikegpt.model.ActivationRecorder;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.model.SpikeGptModel;
import ai.spikegpt.model.Variant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private final boolean statefulForwards;
    private final int maxTraceTokens;
    private final TreeSet<Integer> traceLayers;

    private long forwards;
    private long sequences;
    private long positions;
    private FiringStats embedding;
    private FiringStats[] lif1;
    private FiringStats[] lif2;
    private FiringStats[] ffnHidden;
    private StreamStats[] attInputs;
    private StreamStats[] ffnInputs;
    private StreamStats headInput;

    // the forward pass in progress
    private int batch;
    private int steps;
    private int[] stream; // events per (b, t, c): binary embedding + spike counts so far
    private long[][] carried; // stateful forwards: last-token events per stream site and batch row
    private int traceStart;
    private int traceEnd;
    private int traced;
    private Map<Integer, SpikeTraces.LayerTrace> traces;

    private SpikeMonitor(Builder builder) {
        this.model = builder.model;
        SpikeGptConfig config = model.getConfig();
        this.layers = config.getLayers();
        this.width = config.getEmbeddingSize();
        this.spiking = config.getVariant().spiking();
        this.binaryEmbedding = spiking && config.isBinaryEmbedding();
        this.hiddenSpikes = config.getVariant() == Variant.SPIKEGPT_B;
        this.statefulForwards = builder.statefulForwards;
        this.maxTraceTokens = builder.maxTraceTokens;
        this.traceLayers = new TreeSet<>();
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
        reset();
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
        forwards = 0;
        sequences = 0;
        positions = 0;
        embedding = binaryEmbedding ? new FiringStats(NeuronSite.EMBEDDING, -1, width) : null;
        lif1 = new FiringStats[layers];
        lif2 = new FiringStats[layers];
        ffnHidden = new FiringStats[layers];
        attInputs = new StreamStats[layers];
        ffnInputs = new StreamStats[layers];
        int hidden = model.getConfig().getFfnHiddenSize();
        for (int i = 0; i < layers; i++) {
            if (spiking) {
                lif1[i] = new FiringStats(NeuronSite.LIF1, i, width);
                lif2[i] = new FiringStats(NeuronSite.LIF2, i, width);
            }
            if (hiddenSpikes) {
                ffnHidden[i] = new FiringStats(NeuronSite.FFN_HIDDEN, i, hidden);
            }
            attInputs[i] = new StreamStats(i + ".att", width);
            ffnInputs[i] = new StreamStats(i + ".ffn", width);
        }
        headInput = new StreamStats("head", width);
        carried = new long[2 * layers + 1][];
        stream = null;
        traced = 0;
        traces = new LinkedHashMap<>();
        for (int layer : traceLayers) {
            int size = maxTraceTokens * width;
            traces.put(
                    layer,
                    new SpikeTraces.LayerTrace(
                            new float[size], new float[size], new float[size], new float[size]));
        }
    }

    @Override
    public synchronized void record(int layer, String name, NDArray value) {
        switch (name) {
            case "emb" -> startForward(value);
            case "ln1" -> commit(attInputs[layer], 2 * layer);
            case "ln2" -> commit(ffnInputs[layer], 2 * layer + 1);
            case "spk1" -> fire(lif1[layer], value, layer, true);
            case "spk2" -> fire(lif2[layer], value, layer, false);
            case "ffn_hidden" -> {
                if (hiddenSpikes) {
                    ffnHidden[layer].add(values(value, model.getConfig().getFfnHiddenSize()));
                }
            }
            case "att", "ffn" -> {
                SpikeTraces.LayerTrace t = traces.get(layer);
                if (t != null) {
                    copyTrace(
                            values(value, width), "att".equals(name) ? t.current1() : t.current2());
                }
            }
            case "residual" -> {
                if (layer == layers - 1) {
                    commit(headInput, 2 * layers);
                }
            }
            default -> {
                // other values are of no use here
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
        int size = batch * steps * width;
        if (stream == null || stream.length != size) {
            stream = new int[size];
        }
        if (binaryEmbedding) {
            float[] e = values(emb, width);
            embedding.add(e);
            for (int i = 0; i < size; i++) {
                stream[i] = (int) e[i];
            }
        } else {
            Arrays.fill(stream, 0);
        }
        forwards++;
        sequences += batch;
        positions += (long) batch * steps;
        if (forwards > 1 && !statefulForwards) {
            traceStart = traceEnd; // traces hold the first forward only
        } else {
            traceStart = traced;
            traceEnd = Math.min(maxTraceTokens, traced + steps);
            traced = traceEnd;
        }
    }

    private void fire(FiringStats stats, NDArray spikes, int layer, boolean first) {
        if (!spiking) {
            return; // vanilla RWKV: the "spikes" are the real-valued outputs
        }
        float[] s = values(spikes, width);
        stats.add(s);
        for (int i = 0; i < s.length; i++) {
            stream[i] += (int) s[i];
        }
        SpikeTraces.LayerTrace t = traces.get(layer);
        if (t != null) {
            copyTrace(s, first ? t.spikes1() : t.spikes2());
        }
    }

    /** Adds the current stream's events to a site: what its linear layers receive. */
    private void commit(StreamStats site, int index) {
        if (stream == null) {
            throw new IllegalStateException("a forward pass must record 'emb' before the blocks");
        }
        long[] last = carried[index];
        boolean continues = statefulForwards && last != null && last.length == batch;
        long[] next = new long[batch];
        for (int b = 0; b < batch; b++) {
            long previous = continues ? last[b] : -1;
            for (int t = 0; t < steps; t++) {
                int base = (b * steps + t) * width;
                long events = 0;
                long active = 0;
                for (int c = 0; c < width; c++) {
                    int n = stream[base + c];
                    events += n;
                    if (n != 0) {
                        active++;
                    }
                }
                site.positions++;
                site.events += events;
                site.activeElements += active;
                if (previous >= 0) {
                    site.previousPositions++;
                    site.previousEvents += previous;
                }
                previous = events;
            }
            next[b] = previous;
        }
        carried[index] = statefulForwards ? next : null;
    }

    private void copyTrace(float[] values, float[] into) {
        int n = traceEnd - traceStart;
        if (n > 0) {
            System.arraycopy(
                    values, 0, into, traceStart * width, n * width); // batch row 0, first n tokens
        }
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
        List<FiringStats> firing = new ArrayList<>();
        if (embedding != null) {
            firing.add(embedding);
        }
        for (int i = 0; i < layers; i++) {
            for (FiringStats f : new FiringStats[] {lif1[i], ffnHidden[i], lif2[i]}) {
                if (f != null) {
                    firing.add(f);
                }
            }
        }
        return new SpikeStatistics(
                model.getConfig(),
                forwards,
                sequences,
                positions,
                firing,
                List.of(attInputs),
                List.of(ffnInputs),
                headInput);
    }

    /**
     * Returns the traces kept for plots.
     *
     * @return the traces (empty if the builder asked for none)
     */
    public synchronized SpikeTraces traces() {
        return new SpikeTraces(traced, width, traces, spiking ? model.neurons() : List.of());
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
