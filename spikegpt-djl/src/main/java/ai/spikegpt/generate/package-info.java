/**
 * Text generation: {@link ai.spikegpt.generate.SamplingConfig} (temperature, top-k, top-p, seed),
 * the {@link ai.spikegpt.generate.TokenSampler}, and the {@link
 * ai.spikegpt.generate.SpikeGptGenerator} that reads a prompt in the parallel form and continues
 * one recurrent step per token, over a model block or a DJL {@code Predictor} ({@link
 * ai.spikegpt.generate.SequenceModel}).
 */
package ai.spikegpt.generate;
