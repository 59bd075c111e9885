package ai.spikegpt.spikes;

import java.util.List;

/**
 * Counts the spike events that reach each group of linear layers ({@link StreamStats}): the
 * residual stream in event form, {@code e + n} (binary embedding plus the spike counts the blocks
 * so far added), summed at the LayerNorms that feed the time mix ({@code <i>.att}), the channel mix
 * ({@code <i>.ffn}) and the head.
 */
final class EventStreams {

    private final int layers;
    private final int width;
    private final boolean statefulForwards;
    private StreamStats[] attInputs;
    private StreamStats[] ffnInputs;
    private StreamStats headInput;

    // the forward pass in progress
    private int batch;
    private int steps;
    private int[] stream; // events per (b, t, c): binary embedding + spike counts so far
    private long[][] carried; // stateful forwards: last-token events per stream site and batch row

    /**
     * @param layers the number of blocks
     * @param width the stream width C
     * @param statefulForwards whether a forward pass continues the previous one's sequences
     */
    EventStreams(int layers, int width, boolean statefulForwards) {
        this.layers = layers;
        this.width = width;
        this.statefulForwards = statefulForwards;
        reset();
    }

    /** Forgets every count. */
    void reset() {
        attInputs = new StreamStats[layers];
        ffnInputs = new StreamStats[layers];
        for (int i = 0; i < layers; i++) {
            attInputs[i] = new StreamStats(i + ".att", width);
            ffnInputs[i] = new StreamStats(i + ".ffn", width);
        }
        headInput = new StreamStats("head", width);
        carried = new long[2 * layers + 1][];
        stream = null;
    }

    /**
     * Starts a forward pass.
     *
     * @param batch its batch size
     * @param steps its tokens per sequence
     * @param embedding the binary embedding's events {@code [B, T, C]}, or null when the embedding
     *     is real-valued (only spikes are events then)
     */
    void start(int batch, int steps, float[] embedding) {
        this.batch = batch;
        this.steps = steps;
        int size = batch * steps * width;
        if (stream == null || stream.length != size) {
            stream = new int[size];
        }
        for (int i = 0; i < size; i++) {
            stream[i] = embedding == null ? 0 : (int) embedding[i];
        }
    }

    /**
     * @param spikes a neuron's spikes, added to the stream {@code [B, T, C]}
     */
    void add(float[] spikes) {
        for (int i = 0; i < spikes.length; i++) {
            stream[i] += (int) spikes[i];
        }
    }

    /**
     * @param layer the block whose time mix receives the stream
     */
    void enterTimeMix(int layer) {
        commit(attInputs[layer], 2 * layer);
    }

    /**
     * @param layer the block whose channel mix receives the stream
     */
    void enterChannelMix(int layer) {
        commit(ffnInputs[layer], 2 * layer + 1);
    }

    /** The head receives the stream after the last block. */
    void enterHead() {
        commit(headInput, 2 * layers);
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

    List<StreamStats> timeMixInputs() {
        return List.of(attInputs);
    }

    List<StreamStats> channelMixInputs() {
        return List.of(ffnInputs);
    }

    StreamStats headInput() {
        return headInput;
    }
}
