/**
 * Training with DJL's {@code Trainer}: the {@link ai.spikegpt.training.LanguageModelLoss} (cross
 * entropy with the original's L2Wrap term), {@link ai.spikegpt.training.PyTorchAdam} (PyTorch's
 * Adam, resumable) and global-norm {@link ai.spikegpt.training.GradientClipping}.
 */
package ai.spikegpt.training;
