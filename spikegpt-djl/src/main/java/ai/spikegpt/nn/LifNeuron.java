package ai.spikegpt.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;

/**
 * The Leaky Integrate-and-Fire neuron, multi-step over the token axis (spikingjelly's {@code
 * MultiStepLIFNode} with {@code decay_input=True}), SpikeGPT's neuron.
 *
 * <p>Per neuron, from the carried-in membrane {@code v[-1]} (rest = {@code v_reset}):
 *
 * <pre>
 *   h[t] = v[t-1] + (x[t] - v[t-1]) / tau                  charge (leaky integration)
 *   s[t] = H(h[t] - v_th)                                  fire   (H(z) = 1 if z >= 0)
 *   v[t] = h[t] (1 - s[t]) + v_reset s[t]                   hard reset, or
 *   v[t] = h[t] - v_th s[t]                                 soft (subtractive) reset
 * </pre>
 *
 * SpikeGPT uses tau = 2, v_th = 1, v_reset = 0, hard reset not detached, arctan surrogate with
 * alpha = 2. With a learnable tau (the parametric LIF of Fang et al. 2021) the parameter is {@code
 * decay_logit} with {@code 1/tau = sigmoid(decay_logit)}.
 *
 * <p>Backward (BPTT with the surrogate {@code g = H'}): with {@code a[t] = dv[t]/dh[t]} ({@code 1 -
 * s + (v_reset - h) g} for an attached hard reset, {@code 1 - s} detached, {@code 1 - v_th g} soft,
 * {@code 1} soft detached), the linearised dynamics are
 *
 * <pre>
 *   dh[t] = (1 - 1/tau) a[t-1] dh[t-1] + dx[t] / tau  (+ tau and threshold terms if learnable)
 *   ds[t] = g(h[t] - v_th) (dh[t] - dv_th)
 * </pre>
 *
 * a linear recurrence with coefficients known after the forward pass; it is evaluated with {@link
 * LinearScan}, or, under a {@link SegmentedBackward} (fixed tau and threshold), by a Java loop in
 * the backward pass; both are in {@link LifGradient}.
 *
 * <p>Paper: Zhu et al., "SpikeGPT: Generative Pre-trained Language Model with Spiking Neural
 * Networks", arXiv 2302.13939, section 3.
 */
public final class LifNeuron extends SpikingNeuron {

    private final float tau;
    private final float resetPotential;
    private final ResetMode resetMode;
    private final boolean detachReset;
    private final Parameter decayLogit;

    private LifNeuron(Builder builder) {
        super(builder.surrogate, builder.threshold, builder.learnableThreshold);
        if (!(builder.tau >= 1f) || !Float.isFinite(builder.tau)) {
            throw new IllegalArgumentException(
                    "LIF tau must be finite and >= 1, got " + builder.tau);
        }
        if (builder.learnableTau && builder.tau <= 1f) {
            throw new IllegalArgumentException(
                    "a learnable tau must start above 1, got " + builder.tau);
        }
        if (!(builder.resetPotential < builder.threshold)) {
            throw new IllegalArgumentException(
                    "LIF reset potential "
                            + builder.resetPotential
                            + " must lie below the threshold "
                            + builder.threshold);
        }
        this.tau = builder.tau;
        this.resetPotential = builder.resetPotential;
        this.resetMode = builder.resetMode;
        this.detachReset = builder.detachReset;
        this.decayLogit =
                builder.learnableTau
                        ? addParameter(
                                Parameter.builder()
                                        .setName("decay_logit")
                                        .setType(Parameter.Type.OTHER)
                                        .optShape(new Shape(1))
                                        .optInitializer(
                                                new ConstantInitializer(
                                                        (float) -Math.log(builder.tau - 1.0)))
                                        .build())
                        : null;
    }

    /**
     * Returns a builder with SpikeGPT's settings (tau 2, threshold 1, hard reset to 0, attached,
     * arctan surrogate alpha 2).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public NDList spike(ParameterStore parameterStore, NDArray x, NDArray v0, boolean training) {
        checkInput(x);
        Shape shape = x.getShape();
        int batch = Math.toIntExact(shape.get(0));
        int steps = Math.toIntExact(shape.get(1));
        int width = Math.toIntExact(shape.get(2));
        Device device = x.getDevice();
        NDManager manager = x.getManager();

        NDArray thetaArray =
                threshold == null ? null : thresholdArray(parameterStore, device, training);
        NDArray logitArray =
                decayLogit == null ? null : parameterStore.getValue(decayLogit, device, training);
        float theta = thetaArray == null ? initialThreshold : thetaArray.getFloat();
        // with a fixed tau, divide exactly as the reference does: v + (x - v) / tau
        float invTau = logitArray == null ? 1f / tau : (float) sigmoid(logitArray.getFloat());
        boolean divide = logitArray == null;
        float keep = 1f - invTau;

        LifTrace trace =
                new LifTrace(
                        x.toFloatArray(),
                        initialMembrane(v0, batch, width, resetPotential),
                        training,
                        logitArray != null,
                        thetaArray != null);
        Parallel.rows(
                batch,
                (long) steps * width,
                b -> simulate(trace, b, steps, width, theta, invTau, keep, divide));
        if (training && trace.vPrev == null && trace.thetaGate == null) {
            for (int i = 0; i < trace.slope.length; i++) {
                trace.slope[i] *= invTau;
            }
        }

        NDArray vLast = array(manager, trace.v, new Shape(batch, width));
        if (!training) {
            return new NDList(array(manager, trace.spikes, shape), vLast);
        }
        SegmentedBackward tape = SegmentedBackward.recording();
        if (tape != null && trace.vPrev == null && trace.thetaGate == null) {
            NDArray spikes =
                    tape.cut(
                            array(manager, trace.spikes, shape),
                            new NDList(x),
                            grad ->
                                    new NDList(
                                            array(
                                                    grad.getManager(),
                                                    LifGradient.segmented(
                                                            trace,
                                                            grad.toFloatArray(),
                                                            batch,
                                                            steps,
                                                            width),
                                                    shape)));
            return new NDList(spikes, vLast);
        }
        NDArray[] spikesAndY =
                LifGradient.surrogatePath(trace, x, shape, invTau, logitArray, thetaArray);
        return new NDList(straightThrough(spikesAndY[0], spikesAndY[1]), vLast);
    }

    /**
     * Recomputes the charged membrane {@code h[t] = v[t-1] + (x[t] - v[t-1]) / tau} (the value
     * compared with the threshold, before the reset) with the neuron's current tau and threshold,
     * in the same float order as {@link #spike}: {@code h[t] >= thresholdValue()} exactly where
     * {@code spike} fires.
     *
     * @param current the input currents, row-major {@code [batch, steps, width]}
     * @param batch the batch size
     * @param steps the number of steps
     * @param width the number of neurons
     * @param v0 the membrane before the first step, row-major {@code [batch, width]}, or null for
     *     the reset potential
     * @return {@code h}, row-major {@code [batch, steps, width]}
     */
    @Override
    public float[] potential(float[] current, int batch, int steps, int width, float[] v0) {
        checkSizes(current, batch, steps, width, v0);
        float theta = thresholdValue();
        float invTau =
                decayLogit == null ? 1f / tau : (float) sigmoid(decayLogit.getArray().getFloat());
        float[] v = v0 == null ? initialMembrane(null, batch, width, resetPotential) : v0.clone();
        LifTrace trace = new LifTrace(current, v, false, false, false);
        trace.charge = new float[current.length];
        for (int b = 0; b < batch; b++) {
            simulate(trace, b, steps, width, theta, invTau, 1f - invTau, decayLogit == null);
        }
        return trace.charge;
    }

    /** Runs the dynamics of batch row {@code b} over all steps, in the reference's float order. */
    private void simulate(
            LifTrace tr,
            int b,
            int steps,
            int width,
            float theta,
            float invTau,
            float keep,
            boolean divide) {
        float[] in = tr.in;
        float[] v = tr.v;
        boolean grad = tr.slope != null;
        int vBase = b * width;
        for (int t = 0; t < steps; t++) {
            int base = (b * steps + t) * width;
            for (int n = 0; n < width; n++) {
                int i = base + n;
                float vi = v[vBase + n];
                float h = divide ? vi + (in[i] - vi) / tau : vi + (in[i] - vi) * invTau;
                boolean fire = h >= theta;
                float s = fire ? 1f : 0f;
                tr.spikes[i] = s;
                if (tr.charge != null) {
                    tr.charge[i] = h;
                }
                v[vBase + n] =
                        resetMode == ResetMode.HARD ? (fire ? resetPotential : h) : h - theta * s;
                if (!grad) {
                    continue;
                }
                float g = surrogate.derivative(h - theta);
                tr.slope[i] = g;
                if (tr.vPrev != null) {
                    tr.vPrev[i] = vi;
                }
                if (t + 1 < steps) {
                    float dvdh;
                    float dvdTheta;
                    if (resetMode == ResetMode.HARD) {
                        dvdh = detachReset ? 1f - s : (1f - s) + (resetPotential - h) * g;
                        dvdTheta = detachReset ? 0f : (h - resetPotential) * g;
                    } else {
                        dvdh = detachReset ? 1f : 1f - theta * g;
                        dvdTheta = detachReset ? -s : -s + theta * g;
                    }
                    tr.gate[i + width] = keep * dvdh;
                    if (tr.thetaGate != null) {
                        tr.thetaGate[i + width] = keep * dvdTheta;
                    }
                }
            }
        }
    }

    private static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /**
     * @return the membrane time constant (initial value if learnable)
     */
    public float getTau() {
        return tau;
    }

    /**
     * @return the reset potential
     */
    public float getResetPotential() {
        return resetPotential;
    }

    /**
     * @return the reset mode
     */
    public ResetMode getResetMode() {
        return resetMode;
    }

    /**
     * @return whether the reset is excluded from the gradient
     */
    public boolean isDetachReset() {
        return detachReset;
    }

    /**
     * @return whether tau is trained
     */
    public boolean isLearnableTau() {
        return decayLogit != null;
    }

    /** Builds a {@link LifNeuron}; every value is optional and defaults to SpikeGPT's. */
    public static final class Builder {
        private float tau = 2f;
        private float threshold = 1f;
        private float resetPotential;
        private ResetMode resetMode = ResetMode.HARD;
        private boolean detachReset;
        private Surrogate surrogate = new ArcTanSurrogate(2f);
        private boolean learnableTau;
        private boolean learnableThreshold;

        Builder() {}

        /**
         * @param tau the membrane time constant, >= 1 @return this builder
         */
        public Builder optTau(float tau) {
            this.tau = tau;
            return this;
        }

        /**
         * @param threshold the firing threshold @return this builder
         */
        public Builder optThreshold(float threshold) {
            this.threshold = threshold;
            return this;
        }

        /**
         * @param v the potential after a hard reset @return this builder
         */
        public Builder optResetPotential(float v) {
            this.resetPotential = v;
            return this;
        }

        /**
         * @param mode hard or soft reset @return this builder
         */
        public Builder optResetMode(ResetMode mode) {
            this.resetMode = mode;
            return this;
        }

        /**
         * @param detach whether the reset is excluded from the gradient @return this builder
         */
        public Builder optDetachReset(boolean detach) {
            this.detachReset = detach;
            return this;
        }

        /**
         * @param surrogate the surrogate gradient @return this builder
         */
        public Builder optSurrogate(Surrogate surrogate) {
            this.surrogate = surrogate;
            return this;
        }

        /**
         * @param learnable whether tau is trained (PLIF) @return this builder
         */
        public Builder optLearnableTau(boolean learnable) {
            this.learnableTau = learnable;
            return this;
        }

        /**
         * @param learnable whether the threshold is trained @return this builder
         */
        public Builder optLearnableThreshold(boolean learnable) {
            this.learnableThreshold = learnable;
            return this;
        }

        /**
         * @return the neuron
         */
        public LifNeuron build() {
            return new LifNeuron(this);
        }
    }
}
