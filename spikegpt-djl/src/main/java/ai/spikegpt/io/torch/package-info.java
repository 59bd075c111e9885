/**
 * Interoperability with the original PyTorch SpikeGPT.
 *
 * <p>Import: {@link ai.spikegpt.io.torch.TorchCheckpoint} reads {@code torch.save} state dicts (the
 * zip format of PyTorch 1.6 and later; fp32, fp16, bf16) with a restricted unpickler that accepts
 * only what a state dict needs and refuses every other Python global, so an untrusted {@code .pth}
 * is data, never code; {@link ai.spikegpt.io.torch.StateDictConfig} infers the architecture from
 * the tensors; {@link ai.spikegpt.io.torch.CheckpointImport} puts it together with the original's
 * inference switches (binary embedding, {@code rescale_every}).
 *
 * <p>Export: {@link ai.spikegpt.io.torch.CheckpointExport} writes safetensors with the original
 * names and shapes and the reference implementation's configuration, for {@code
 * load_state_dict(strict=True)} in PyTorch.
 */
package ai.spikegpt.io.torch;
