package ai.spikegpt.spikes;

import java.util.Locale;

/**
 * Where a model emits binary spikes: the binary embedding, the two neurons of every block, and
 * (SpikeGPT-B only) the hidden neurons of the channel mix.
 */
public enum NeuronSite {
    /** The binary embedding {@code H(emb[token])}, layer -1, width C. */
    EMBEDDING("emb"),
    /** The neuron after the time mix ({@code LIF1}), width C. */
    LIF1("lif1"),
    /** The neuron after the channel mix ({@code LIF2}), width C. */
    LIF2("lif2"),
    /** SpikeGPT-B's neurons that replace relu² inside the channel mix, width H = ffn_mult x C. */
    FFN_HIDDEN("ffn_hidden");

    private final String label;

    NeuronSite(String label) {
        this.label = label;
    }

    /**
     * @return the short name used in tables and maps ({@code emb, lif1, lif2, ffn_hidden})
     */
    public String label() {
        return label;
    }

    /**
     * Returns the key of a site in {@link SpikeStatistics#rates()}: {@code emb} for the embedding,
     * {@code <layer>.<label>} otherwise, e.g. {@code 3.lif1}.
     *
     * @param layer the block index (ignored for the embedding)
     * @return the key
     */
    public String key(int layer) {
        return this == EMBEDDING ? label : layer + "." + label;
    }

    /**
     * Parses a label.
     *
     * @param label {@code emb, lif1, lif2} or {@code ffn_hidden}
     * @return the site
     */
    public static NeuronSite of(String label) {
        for (NeuronSite s : values()) {
            if (s.label.equals(label.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "unknown neuron site '" + label + "': use emb, lif1, lif2 or ffn_hidden");
    }
}
