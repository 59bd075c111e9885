package ai.spikegpt.spikes;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts how often each neuron layer fires ({@link FiringStats}): the binary embedding, the two LIF
 * neurons of every block and, for SpikeGPT-B, the channel mix's hidden spikes; and how many forward
 * passes, sequences and positions were counted.
 */
final class FiringCounts {

    private final int layers;
    private final int width;
    private final int hidden;
    private final boolean binaryEmbedding;
    private final boolean spiking;
    private final boolean hiddenSpikes;

    long forwards;
    long sequences;
    long positions;
    private FiringStats embedding;
    private FiringStats[] lif1;
    private FiringStats[] lif2;
    private FiringStats[] ffnHidden;

    /**
     * @param layers the number of blocks
     * @param width the stream width C
     * @param hidden the channel mix's hidden width
     * @param binaryEmbedding whether the embedding spikes
     * @param spiking whether the blocks have LIF neurons
     * @param hiddenSpikes whether the channel mix's hidden activation spikes (SpikeGPT-B)
     */
    FiringCounts(
            int layers,
            int width,
            int hidden,
            boolean binaryEmbedding,
            boolean spiking,
            boolean hiddenSpikes) {
        this.layers = layers;
        this.width = width;
        this.hidden = hidden;
        this.binaryEmbedding = binaryEmbedding;
        this.spiking = spiking;
        this.hiddenSpikes = hiddenSpikes;
        reset();
    }

    /** Forgets every count. */
    void reset() {
        forwards = 0;
        sequences = 0;
        positions = 0;
        embedding = binaryEmbedding ? new FiringStats(NeuronSite.EMBEDDING, -1, width) : null;
        lif1 = new FiringStats[layers];
        lif2 = new FiringStats[layers];
        ffnHidden = new FiringStats[layers];
        for (int i = 0; i < layers; i++) {
            if (spiking) {
                lif1[i] = new FiringStats(NeuronSite.LIF1, i, width);
                lif2[i] = new FiringStats(NeuronSite.LIF2, i, width);
            }
            if (hiddenSpikes) {
                ffnHidden[i] = new FiringStats(NeuronSite.FFN_HIDDEN, i, hidden);
            }
        }
    }

    /**
     * Counts a forward pass.
     *
     * @param batch its batch size
     * @param steps its tokens per sequence
     */
    void forward(int batch, int steps) {
        forwards++;
        sequences += batch;
        positions += (long) batch * steps;
    }

    void embedding(float[] spikes) {
        embedding.add(spikes);
    }

    void neuron(int layer, boolean first, float[] spikes) {
        (first ? lif1 : lif2)[layer].add(spikes);
    }

    void hidden(int layer, float[] spikes) {
        ffnHidden[layer].add(spikes);
    }

    /**
     * @return the layers in model order: embedding, then per block lif1, hidden, lif2
     */
    List<FiringStats> layers() {
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
        return firing;
    }
}
