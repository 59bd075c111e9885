/**
 * Training with DJL's {@code Trainer}: the {@link ai.spikegpt.training.LanguageModelLoss} (cross
 * entropy with the original's L2Wrap term), {@link ai.spikegpt.training.PyTorchAdam} (PyTorch's
 * Adam, resumable), global-norm {@link ai.spikegpt.training.GradientClipping} and the {@link
 * ai.spikegpt.training.TrainingStep} that runs the backward pass in segments.
 */
package ai.spikegpt.training;
