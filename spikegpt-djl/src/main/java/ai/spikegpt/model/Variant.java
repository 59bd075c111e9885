package ai.spikegpt.model;

import com.google.gson.annotations.SerializedName;

/**
 * The architecture variants of the SpikeGPT paper's ablation (Table 5, enwik8 test BPC).
 *
 * <table>
 *   <caption>What each variant changes</caption>
 *   <tr><th>variant</th><th>change</th><th>paper BPC</th></tr>
 *   <tr><td>{@link #SPIKEGPT}</td><td>the model: LIF neurons after time mix and channel mix</td><td>1.283</td></tr>
 *   <tr><td>{@link #SPIKEGPT_B}</td><td>also a LIF instead of relu² inside the channel mix</td><td>1.306</td></tr>
 *   <tr><td>{@link #HEAVISIDE_RWKV}</td><td>a plain Heaviside step (no membrane) instead of each LIF</td><td>1.403</td></tr>
 *   <tr><td>{@link #RWKV}</td><td>no spiking at all (real-valued residuals, real embedding)</td><td>1.201</td></tr>
 * </table>
 */
public enum Variant {
    /** SpikeGPT as published: binary embedding, LIF after each sub-block. */
    @SerializedName("spikegpt")
    SPIKEGPT,
    /** SpikeGPT-B: a LIF neuron also replaces relu² inside the spiking receptance FFN. */
    @SerializedName("spikegpt-b")
    SPIKEGPT_B,
    /** Heaviside RWKV: memoryless Heaviside spikes instead of LIF neurons. */
    @SerializedName("heaviside-rwkv")
    HEAVISIDE_RWKV,
    /** Vanilla RWKV-4: no spikes anywhere. */
    @SerializedName("rwkv")
    RWKV;

    /** Returns whether the sub-block outputs pass through a spiking neuron. */
    public boolean spiking() {
        return this != RWKV;
    }
}
