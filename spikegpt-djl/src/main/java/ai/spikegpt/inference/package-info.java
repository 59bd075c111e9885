/**
 * Inference in pure Java: the SpikeGPT forward pass as plain loops over {@code float[]} weights,
 * with no native call per operation. {@link ai.spikegpt.inference.JavaSpikeGpt} runs tokens from a
 * caller-owned {@link ai.spikegpt.inference.JavaState} (the recurrent form, any number of tokens at
 * a time), {@link ai.spikegpt.inference.JavaClassifier} adds the mean-pooled classification head.
 * Weights are copied out of a loaded DJL model ({@link ai.spikegpt.inference.JavaWeights}) in fp32,
 * fp16 or per-row int8 ({@link ai.spikegpt.inference.WeightFormat}). Matrix products skip the
 * inputs that are exactly zero (silent neurons, relu's zeros): the event-driven form of the paper,
 * counted by {@link ai.spikegpt.inference.MacCounter}.
 */
package ai.spikegpt.inference;
