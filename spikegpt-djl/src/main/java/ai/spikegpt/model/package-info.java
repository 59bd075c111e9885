/**
 * The SpikeGPT model: {@link ai.spikegpt.model.SpikeGptConfig configuration}, the spiking RWKV
 * ({@link ai.spikegpt.model.TimeMix}), the spiking receptance FFN ({@link
 * ai.spikegpt.model.ChannelMix}), the {@link ai.spikegpt.model.SpikeGptBlock block}, the language
 * model {@link ai.spikegpt.model.SpikeGptModel} (generation head) and the {@link
 * ai.spikegpt.model.SpikeGptClassifier} (classification head), with the caller-owned recurrent
 * {@link ai.spikegpt.model.SpikeGptState state} that makes the parallel and the recurrent form one
 * model.
 *
 * <p>Paper: Zhu, Zhao, Li, Eshraghian, "SpikeGPT: Generative Pre-trained Language Model with
 * Spiking Neural Networks", arXiv 2302.13939.
 */
package ai.spikegpt.model;
