package ai.spikegpt.model;

/**
 * The places in a forward pass where a {@link ActivationRecorder} is handed a value, in the order a
 * block records them. {@link #id()} is the name the recorder receives.
 */
public enum ActivationSite {
    /** The (binary) embedding output, layer -1; it starts a forward pass. */
    EMB("emb"),
    /** The LayerNorm output that enters the time mix. */
    LN1("ln1"),
    /** The time-mix output, the first LIF's input current. */
    ATT("att"),
    /** The first neuron's spikes. */
    SPK1("spk1"),
    /** The LayerNorm output that enters the channel mix. */
    LN2("ln2"),
    /** The channel mix's hidden activation (relu² or, for SpikeGPT-B, spikes). */
    FFN_HIDDEN("ffn_hidden"),
    /** The channel-mix output, the second LIF's input current. */
    FFN("ffn"),
    /** The second neuron's spikes. */
    SPK2("spk2"),
    /** The residual stream after the block. */
    RESIDUAL("residual");

    private final String id;

    ActivationSite(String id) {
        this.id = id;
    }

    /**
     * @return the name a recorder receives
     */
    public String id() {
        return id;
    }

    /**
     * Returns the site of a recorded name.
     *
     * @param id the name
     * @return the site, or null for a name no site has
     */
    public static ActivationSite of(String id) {
        for (ActivationSite s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        return null;
    }
}
