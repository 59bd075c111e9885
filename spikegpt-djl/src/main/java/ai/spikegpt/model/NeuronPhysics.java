package ai.spikegpt.model;

import ai.spikegpt.nn.ResetMode;
import ai.spikegpt.nn.Surrogate;

/**
 * The physics of the model's LIF neurons, stored in {@code config.json} beside the architecture
 * (the same flat keys as the reference: {@code tau, v_threshold, v_reset, surrogate, alpha,
 * reset_mode, detach_reset, learnable_tau, learnable_threshold}); {@link SpikeGptConfig} reads them
 * from here.
 *
 * <p>The neuron integrates {@code v <- v + (x - (v - v_reset)) / tau}, fires where {@code v >=
 * v_threshold} and resets; in training the step's gradient is the surrogate's with sharpness {@code
 * alpha}.
 */
final class NeuronPhysics {
    float tau = 2f;
    float vThreshold = 1f;
    float vReset = 0f;
    String surrogate = Surrogate.ARCTAN;
    float alpha = 2f;
    ResetMode resetMode = ResetMode.HARD;
    boolean detachReset;
    boolean learnableTau;
    boolean learnableThreshold;

    /** Checks the values, naming the key and the valid range of the first bad one. */
    void validate() {
        SpikeGptConfig.finite("tau", tau);
        SpikeGptConfig.finite("v_threshold", vThreshold);
        SpikeGptConfig.finite("v_reset", vReset);
        SpikeGptConfig.finite("alpha", alpha);
        if (tau < 1f) {
            throw SpikeGptConfig.invalid(
                    "tau", tau, "the membrane time constant must be >= 1 (1 = no memory)");
        }
        if (vReset >= vThreshold) {
            throw SpikeGptConfig.invalid(
                    "v_reset",
                    vReset,
                    "the reset potential must lie below v_threshold = " + vThreshold);
        }
        if (alpha <= 0f) {
            throw SpikeGptConfig.invalid("alpha", alpha, "the surrogate sharpness must be > 0");
        }
        Surrogate.of(surrogate, alpha); // throws a clear error for unknown names
        if (resetMode == null) {
            throw SpikeGptConfig.invalid("reset_mode", null, "use 'hard' or 'soft'");
        }
    }
}
