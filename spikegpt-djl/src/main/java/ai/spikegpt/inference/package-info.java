/**
 * Inference in pure Java: the SpikeGPT forward pass as plain loops over {@code float[]} weights,
 * with no native call per operation. {@link ai.spikegpt.inference.JavaSpikeGpt} runs tokens from a
 * caller-owned {@link ai.spikegpt.inference.JavaState} (the recurrent form, any number of tokens at
 * a time), {@link ai.spikegpt.inference.JavaClassifier} adds the mean-pooled classification head.
 * Weights ({@link ai.spikegpt.inference.JavaWeights}) are read from a {@link
 * ai.spikegpt.inference.WeightSource} (a model directory's file, with no native engine loaded, or a
 * loaded DJL model) and stored in fp32, fp16 or per-row int8 ({@link
 * ai.spikegpt.inference.WeightFormat}). Matrix products run on packed panels with the sums in
 * registers (a GEMM for a batch, a streaming pass for one token); the channel mix's value product
 * leaves out its inputs that are exactly zero (relu²'s zeros, silent neurons): the event-driven
 * form of the paper, counted by {@link ai.spikegpt.inference.MacCounter}. {@link
 * ai.spikegpt.inference.JavaClassifierBlock} puts the classifier behind a DJL {@code Predictor}.
 */
package ai.spikegpt.inference;
