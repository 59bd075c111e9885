package ai.spikegpt.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import ai.spikegpt.io.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adam exactly as {@code torch.optim.Adam} (the optimiser of the original SpikeGPT trainer), with
 * its state saved and restored for resuming:
 *
 * <pre>
 *   m = b1 m + (1 - b1) g;   v = b2 v + (1 - b2) g^2
 *   w -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 *
 * <p>Why not DJL's {@code Adam}: it adds eps to {@code sqrt(v)} before the bias correction, an
 * effective eps ten times larger at the first step with SpikeGPT's b2 = 0.99 (visible in the
 * reference's one-step vectors), and it cannot save its moments, so a resumed run would not
 * continue the same loss curve. This class still uses DJL's fused native update, passing {@code eps
 * sqrt(1 - b2^t)} so the result is PyTorch's.
 */
public final class PyTorchAdam extends Optimizer {

    private final ParameterTracker learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final Map<String, NDArray> means = new ConcurrentHashMap<>();
    private final Map<String, NDArray> variances = new ConcurrentHashMap<>();
    private final Map<String, Integer> steps = new ConcurrentHashMap<>();

    private PyTorchAdam(Builder builder) {
        super(builder);
        learningRate = builder.learningRate;
        beta1 = builder.beta1;
        beta2 = builder.beta2;
        epsilon = builder.epsilon;
    }

    /**
     * @return a builder with SpikeGPT's settings: lr 6e-4, betas (0.9, 0.99), eps 4e-9
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int t = steps.merge(parameterId, 1, Integer::sum);
        double c1 = 1.0 - Math.pow(beta1, t);
        double c2 = 1.0 - Math.pow(beta2, t);
        float lr = learningRate.getNewValue(parameterId, t);
        if (!Float.isFinite(lr)) {
            throw new IllegalStateException("learning rate is " + lr + " at step " + t);
        }
        NDArray m = means.computeIfAbsent(parameterId, k -> weight.zerosLike());
        NDArray v = variances.computeIfAbsent(parameterId, k -> weight.zerosLike());
        weight.getNDArrayInternal()
                .adamUpdate(
                        new NDList(weight, grad, m, v),
                        new NDList(weight),
                        lr,
                        (float) (lr * Math.sqrt(c2) / c1),
                        getWeightDecay(),
                        rescaleGrad,
                        clipGrad,
                        beta1,
                        beta2,
                        (float) (epsilon * Math.sqrt(c2)),
                        true,
                        false);
    }

    /**
     * Returns the learning rate the schedule gives at a step.
     *
     * @param step the update count (1 = the first update)
     * @return the learning rate
     */
    public float learningRate(long step) {
        return learningRate.getNewValue("", Math.toIntExact(Math.max(1, step)));
    }

    /**
     * Returns the number of updates applied so far (the largest per-parameter count).
     *
     * @return the step count
     */
    public int getStep() {
        return steps.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /**
     * Saves the moments and step counts of the given parameters to a safetensors file, keyed by the
     * parameters' stable names (DJL's parameter ids change between runs).
     *
     * @param named the parameters by stable name
     * @param file the file to write
     * @throws IOException if writing fails
     */
    public void save(Map<String, Parameter> named, Path file) throws IOException {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : named.entrySet()) {
            String id = e.getValue().getId();
            if (means.containsKey(id)) {
                arrays.put("m." + e.getKey(), means.get(id));
                arrays.put("v." + e.getKey(), variances.get(id));
                metadata.put("step." + e.getKey(), Integer.toString(steps.get(id)));
            }
        }
        Safetensors.write(file, arrays, metadata, DataType.FLOAT32);
    }

    /**
     * Restores the state saved by {@link #save}.
     *
     * @param named the parameters by stable name (the same names as when saved)
     * @param file the saved state
     * @param manager the manager that owns the moments
     * @throws IOException if reading fails
     */
    public void load(Map<String, Parameter> named, Path file, NDManager manager)
            throws IOException {
        Safetensors state = Safetensors.open(file);
        for (Map.Entry<String, Parameter> e : named.entrySet()) {
            String step = state.metadata().get("step." + e.getKey());
            if (step == null) {
                continue;
            }
            String id = e.getValue().getId();
            replace(means, id, state.floatArray(manager, "m." + e.getKey()));
            replace(variances, id, state.floatArray(manager, "v." + e.getKey()));
            steps.put(id, Integer.parseInt(step));
        }
    }

    private static void replace(Map<String, NDArray> map, String id, NDArray value) {
        NDArray old = map.put(id, value);
        if (old != null) {
            old.close();
        }
    }

    /** Builds a {@link PyTorchAdam}. */
    public static final class Builder extends OptimizerBuilder<Builder> {
        private ParameterTracker learningRate = Tracker.fixed(6e-4f);
        private float beta1 = 0.9f;
        private float beta2 = 0.99f;
        private float epsilon = 4e-9f;

        Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * @param tracker the learning rate schedule @return this builder
         */
        public Builder optLearningRateTracker(ParameterTracker tracker) {
            this.learningRate = tracker;
            return this;
        }

        /**
         * @param b1 the first-moment decay @return this builder
         */
        public Builder optBeta1(float b1) {
            this.beta1 = b1;
            return this;
        }

        /**
         * @param b2 the second-moment decay @return this builder
         */
        public Builder optBeta2(float b2) {
            this.beta2 = b2;
            return this;
        }

        /**
         * @param eps the denominator epsilon @return this builder
         */
        public Builder optEpsilon(float eps) {
            this.epsilon = eps;
            return this;
        }

        /**
         * @return the optimiser
         */
        public PyTorchAdam build() {
            return new PyTorchAdam(this);
        }
    }
}
