package ai.spikegpt.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.util.ArrayList;
import java.util.List;

/**
 * Clips the gradients of all parameters together to a maximum global L2 norm, like PyTorch's {@code
 * clip_grad_norm_} (SpikeGPT: 1.0):
 *
 * <pre>
 *   n = sqrt(sum_p ||g_p||^2);   if n > max:  g_p *= max / (n + 1e-6)
 * </pre>
 *
 * <p>DJL's {@code optClipGrad} clips each element separately, which is a different update. As a
 * training listener this runs after the backward pass and before {@code trainer.step()}; add it
 * first among the listeners so that loggers see clipped gradients and the measured norm.
 */
public final class GradientClipping extends TrainingListenerAdapter {

    private final float maxNorm;
    private float lastNorm = Float.NaN;

    /**
     * @param maxNorm the largest allowed global norm
     */
    public GradientClipping(float maxNorm) {
        if (!(maxNorm > 0f)) {
            throw new IllegalArgumentException("the clipping norm must be > 0, got " + maxNorm);
        }
        this.maxNorm = maxNorm;
    }

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        // getGradient() wraps the gradient in a new handle: close the wrappers, not the gradients
        try (NDManager scope = trainer.getManager().newSubManager()) {
            List<NDArray> grads = new ArrayList<>();
            for (Parameter p : trainer.getModel().getBlock().getParameters().values()) {
                if (p.requiresGradient() && p.getArray().hasGradient()) {
                    NDArray g = p.getArray().getGradient();
                    g.attach(scope);
                    grads.add(g);
                }
            }
            lastNorm = clip(grads, maxNorm);
        }
    }

    /**
     * Scales gradients in place so that their global norm is at most {@code maxNorm}. Temporaries
     * are freed; the gradients themselves are left open.
     *
     * @param grads the gradients
     * @param maxNorm the largest allowed global norm
     * @return the global norm before clipping
     */
    public static float clip(List<NDArray> grads, float maxNorm) {
        if (grads.isEmpty()) {
            return 0f;
        }
        NDManager manager = grads.get(0).getManager();
        try (NDManager scope = manager.newSubManager()) {
            NDList norms = new NDList();
            for (NDArray g : grads) {
                NDArray n = g.norm();
                n.attach(scope);
                norms.add(n);
            }
            NDArray total = NDArrays.stack(norms).norm();
            total.attach(scope);
            float norm = total.getFloat();
            float coef = maxNorm / (norm + 1e-6f);
            if (coef < 1f) {
                NDArray c = scope.full(new ai.djl.ndarray.types.Shape(), coef);
                for (NDArray g : grads) {
                    g.muli(c);
                }
            }
            return norm;
        }
    }

    /**
     * @return the global gradient norm measured before the last clipping
     */
    public float getLastNorm() {
        return lastNorm;
    }
}
