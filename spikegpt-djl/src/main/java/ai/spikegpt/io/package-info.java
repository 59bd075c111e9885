/**
 * Weights in and out: a validated {@link ai.spikegpt.io.Safetensors safetensors} codec (metadata,
 * BF16/F16 conversion in {@link ai.spikegpt.io.FloatCodec}, clear errors for damaged files), the
 * {@link ai.spikegpt.io.TensorSource} view that every weights format offers, {@link
 * ai.spikegpt.io.ModelIO}, which maps the original PyTorch parameter names to the blocks'
 * parameters and checks every name and shape against the configuration, and the on-disk {@link
 * ai.spikegpt.io.ModelDirectory}. Writes survive a kill at any moment: single files through {@link
 * ai.spikegpt.files.AtomicFiles}, sets of files that belong together (a model directory, a training
 * checkpoint) through a {@link ai.spikegpt.io.DirectoryTransaction}. PyTorch checkpoints are in
 * {@link ai.spikegpt.io.torch}.
 */
package ai.spikegpt.io;
