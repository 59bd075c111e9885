package ai.spikegpt.spikes;

/** What an operation's input is, which decides how {@link OperationCounter} counts it. */
public enum InputKind {
    /**
     * A linear layer after a LayerNorm of the spike-count stream (binary embedding + integer spike
     * counts): accumulate-only, one synaptic operation per event and output, plus per-token
     * LayerNorm corrections.
     */
    SPIKE_COUNTS("spike counts"),
    /** A linear layer whose input is 0/1 spikes: one synaptic operation per spike and output. */
    SPIKES("spikes"),
    /** A linear layer with a real-valued input: dense multiply-accumulates. */
    REAL("real"),
    /** Element-wise work (LayerNorm, token shift, WKV, gates, neurons, residual adds). */
    ELEMENTWISE("element-wise");

    private final String label;

    InputKind(String label) {
        this.label = label;
    }

    /**
     * @return a short label for tables
     */
    public String label() {
        return label;
    }

    /**
     * @return whether this is a linear (matrix) layer
     */
    public boolean isLinear() {
        return this != ELEMENTWISE;
    }
}
