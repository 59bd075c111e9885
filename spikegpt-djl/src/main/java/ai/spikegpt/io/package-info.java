/**
 * Weights in and out: a validated {@link ai.spikegpt.io.Safetensors safetensors} codec (metadata,
 * BF16/F16 conversion, clear errors for damaged files) and {@link ai.spikegpt.io.ModelIO}, which
 * maps the original PyTorch parameter names to the blocks' parameters and checks every name and
 * shape against the configuration.
 */
package ai.spikegpt.io;
