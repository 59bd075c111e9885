package ai.spikegpt.model;

import ai.djl.ndarray.NDArray;

/**
 * Receives the intermediate values of a forward pass, for analysis (spike rates, rasters, membrane
 * plots). The model calls it with detached arrays; an implementation must not keep them past the
 * forward pass unless it copies them. Names ({@link ActivationSite#id()}), per block {@code layer}:
 *
 * <ul>
 *   <li>{@code emb} (layer -1): the (binary) embedding output;
 *   <li>{@code ln1}, {@code ln2}: the LayerNorm outputs that enter time mix and channel mix;
 *   <li>{@code att}, {@code ffn}: the time-mix and channel-mix outputs, the LIF input currents;
 *   <li>{@code spk1}, {@code spk2}: the spikes of the two neurons;
 *   <li>{@code ffn_hidden}: the channel mix's hidden activation (relu² or, for SpikeGPT-B, spikes);
 *   <li>{@code residual}: the residual stream after the block.
 * </ul>
 */
@FunctionalInterface
public interface ActivationRecorder {

    /**
     * Records one value.
     *
     * @param layer the block index, -1 for the embedding
     * @param name the value's name
     * @param value the detached value, {@code [B, T, width]}
     */
    void record(int layer, String name, NDArray value);
}
