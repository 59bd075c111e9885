package ai.spikegpt.nn;

import com.google.gson.annotations.SerializedName;

/** How a neuron's membrane is reset after a spike. */
public enum ResetMode {
    /** Hard reset: {@code v = v_reset} after a spike (SpikeGPT's choice). */
    @SerializedName("hard")
    HARD,
    /** Soft (subtractive) reset: {@code v = h - v_threshold} after a spike. */
    @SerializedName("soft")
    SOFT
}
