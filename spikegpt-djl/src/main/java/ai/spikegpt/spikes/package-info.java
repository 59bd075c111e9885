/**
 * Seeing the spikes: firing rates, operation counts, an energy estimate, and plots for any SpikeGPT
 * model and input.
 *
 * <ul>
 *   <li>{@link ai.spikegpt.spikes.SpikeMonitor} attaches to a {@link
 *       ai.spikegpt.model.SpikeGptModel} (inference or training, results unchanged) and counts, per
 *       layer, the spikes ({@link ai.spikegpt.spikes.FiringStats}: rate, never-firing neurons) and
 *       the spike events that reach the linear layers ({@link ai.spikegpt.spikes.StreamStats});
 *       optionally it keeps {@link ai.spikegpt.spikes.SpikeTraces} for plots.
 *   <li>{@link ai.spikegpt.spikes.SpikeRateListener} logs the rates during DJL training.
 *   <li>{@link ai.spikegpt.spikes.OperationCounter} turns the counts into MACs and synaptic
 *       operations per layer for the spiking model and a same-shape non-spiking RWKV, and {@link
 *       ai.spikegpt.spikes.EnergyModel} into energy ({@code E = E_MAC x MACs + E_AC x ACs}, 45 nm:
 *       4.6 pJ and 0.9 pJ); {@link ai.spikegpt.spikes.SpikeTable} prints it.
 *   <li>{@link ai.spikegpt.spikes.RasterPlot}, {@link ai.spikegpt.spikes.MembranePlot} and {@link
 *       ai.spikegpt.spikes.FiringRatePlot} write PNGs (XChart, headless).
 * </ul>
 *
 * <p>What is counted as spike-driven, and why, is written out in {@link
 * ai.spikegpt.spikes.OperationCounter} and {@code docs/spikes.md}.
 */
package ai.spikegpt.spikes;
