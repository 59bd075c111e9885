package ai.spikegpt.model;

/**
 * How parameters are initialised for training from scratch. {@code scheme = "rwkv"} is the RWKV-4
 * "fancy init" as the original code executes it (orthogonal matrices with gain 1, the time_*
 * formulas); {@code att_out_gain} and {@code ffn_value_gain} scale att.output and ffn.value so that
 * neurons fire at initialisation. {@code scheme = "torch"} is PyTorch's default Linear/Embedding
 * init with the RWKV time_* formulas, which is what the original train.py actually ran (its fancy
 * init is switched off unless an environment variable is set).
 */
public final class InitConfig {
    String scheme = "rwkv";
    float attOutGain = 1f;
    float ffnValueGain = 1f;

    /**
     * @return the scheme name, "rwkv" or "torch"
     */
    public String getScheme() {
        return scheme;
    }

    /**
     * @return the extra gain on att.output
     */
    public float getAttOutGain() {
        return attOutGain;
    }

    /**
     * @return the extra gain on ffn.value
     */
    public float getFfnValueGain() {
        return ffnValueGain;
    }

    void validate() {
        if (!"rwkv".equals(scheme) && !"torch".equals(scheme)) {
            throw SpikeGptConfig.invalid("init.scheme", scheme, "use 'rwkv' or 'torch'");
        }
        if (!(attOutGain > 0f)
                || !(ffnValueGain > 0f)
                || !Float.isFinite(attOutGain * ffnValueGain)) {
            throw SpikeGptConfig.invalid(
                    "init gains", attOutGain + ", " + ffnValueGain, "must be finite and > 0");
        }
    }
}
