package ai.spikegpt.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * The shared base of the spiking neurons: a block that maps a real-valued input sequence to a
 * binary spike sequence over the time (token) axis.
 *
 * <p>Input {@code NDList(x [B, T, N])} or {@code NDList(x, v0 [B, N])} with a carried-in membrane
 * potential; output {@code NDList(spikes [B, T, N], v [B, N])}, the spikes as 0/1 floats and the
 * membrane after the last step (detached: it is state, not a differentiable output).
 *
 * <p>How it is computed: the forward pass is the neuron's exact nonlinear dynamics, run as a plain
 * Java loop over the values ({@code H(z) = 1 if z >= 0}, float32 arithmetic in the reference's
 * order). DJL has no custom backward, so in training the gradient is attached as a straight-through
 * term {@code spikes + (y - stopGradient(y))} whose value is exactly zero but whose Jacobian is the
 * neuron's surrogate BPTT Jacobian; {@code y} is a linear function of the input with coefficients
 * detached from the forward pass, evaluated by {@link LinearScan} in O(log T) native calls.
 *
 * <p>The surrogate and the threshold (fixed or learnable) are chosen once, in the constructor.
 */
public abstract class SpikingNeuron extends AbstractBlock {

    private static final byte VERSION = 1;

    protected final Surrogate surrogate;
    protected final float initialThreshold;
    protected final Parameter threshold;

    /**
     * @param surrogate the surrogate gradient of the spike
     * @param threshold the firing threshold (initial value if learnable)
     * @param learnableThreshold whether the threshold is a trained parameter
     */
    protected SpikingNeuron(Surrogate surrogate, float threshold, boolean learnableThreshold) {
        super(VERSION);
        if (surrogate == null) {
            throw new IllegalArgumentException("a spiking neuron needs a surrogate gradient");
        }
        if (!Float.isFinite(threshold)) {
            throw new IllegalArgumentException("threshold must be finite, got " + threshold);
        }
        this.surrogate = surrogate;
        this.initialThreshold = threshold;
        this.threshold =
                learnableThreshold
                        ? addParameter(
                                Parameter.builder()
                                        .setName("threshold")
                                        .setType(Parameter.Type.OTHER)
                                        .optShape(new Shape(1))
                                        .optInitializer(new ConstantInitializer(threshold))
                                        .build())
                        : null;
    }

    /**
     * Runs the neuron over a sequence.
     *
     * @param parameterStore the parameter store
     * @param x the input current {@code [B, T, N]}
     * @param v0 the membrane potential before the first step {@code [B, N]}, or null for rest
     * @param training whether to attach the surrogate gradient
     * @return {@code (spikes [B, T, N], v [B, N])}
     */
    public abstract NDList spike(
            ParameterStore parameterStore, NDArray x, NDArray v0, boolean training);

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray v0 = inputs.size() > 1 ? inputs.get(1) : null;
        return spike(parameterStore, x, v0, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        return new Shape[] {x, new Shape(x.get(0), x.get(2))};
    }

    /**
     * Returns the firing threshold in use: the trained value if the threshold is learnable, else
     * the fixed one.
     *
     * @return the threshold {@code v_th}
     */
    public float thresholdValue() {
        return threshold == null ? initialThreshold : threshold.getArray().getFloat();
    }

    /**
     * Recomputes, outside autograd, the potential that the neuron compares with its threshold at
     * every step, for given input currents (for analysis and plots: a spike is {@code h[t] >=
     * v_th}). This base implementation is a memoryless neuron's: {@code h[t] = x[t]}; {@link
     * LifNeuron} returns its charged membrane.
     *
     * @param current the input currents, row-major {@code [batch, steps, width]}
     * @param batch the batch size
     * @param steps the number of steps
     * @param width the number of neurons
     * @param v0 the membrane before the first step, row-major {@code [batch, width]}, or null for
     *     rest
     * @return {@code h}, row-major {@code [batch, steps, width]}
     */
    public float[] potential(float[] current, int batch, int steps, int width, float[] v0) {
        checkSizes(current, batch, steps, width, v0);
        return current.clone();
    }

    /**
     * Checks the sizes of {@link #potential}'s arguments.
     *
     * @param current the currents
     * @param batch the batch size
     * @param steps the number of steps
     * @param width the number of neurons
     * @param v0 the initial membrane, or null
     */
    protected static void checkSizes(float[] current, int batch, int steps, int width, float[] v0) {
        if ((long) batch * steps * width != current.length) {
            throw new IllegalArgumentException(
                    "expected "
                            + batch
                            + " x "
                            + steps
                            + " x "
                            + width
                            + " currents, got "
                            + current.length);
        }
        if (v0 != null && v0.length != (long) batch * width) {
            throw new IllegalArgumentException(
                    "expected "
                            + batch
                            + " x "
                            + width
                            + " initial membrane values, got "
                            + v0.length);
        }
    }

    /**
     * @return the surrogate gradient
     */
    public Surrogate getSurrogate() {
        return surrogate;
    }

    /**
     * @return whether the threshold is trained
     */
    public boolean isLearnableThreshold() {
        return threshold != null;
    }

    /**
     * Returns the current threshold value.
     *
     * @param parameterStore the parameter store
     * @param device the device of the input
     * @param training whether this is a training pass
     * @return the threshold
     */
    protected NDArray thresholdArray(
            ParameterStore parameterStore, ai.djl.Device device, boolean training) {
        return parameterStore.getValue(threshold, device, training);
    }

    /**
     * Checks that the input is a float32 {@code [B, T, N]} array.
     *
     * @param x the input
     */
    protected static void checkInput(NDArray x) {
        if (x.getShape().dimension() != 3) {
            throw new IllegalArgumentException(
                    "a spiking neuron expects input of shape [batch, time, width], got "
                            + x.getShape());
        }
        if (x.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException(
                    "a spiking neuron expects float32 input, got " + x.getDataType());
        }
    }

    /**
     * Reads the carried-in membrane, checking its shape, or returns a resting membrane.
     *
     * @param v0 the membrane, or null
     * @param batch B
     * @param width N
     * @param rest the resting potential
     * @return the membrane values, row-major {@code [B, N]}
     */
    protected static float[] initialMembrane(NDArray v0, int batch, int width, float rest) {
        if (v0 == null) {
            float[] v = new float[batch * width];
            java.util.Arrays.fill(v, rest);
            return v;
        }
        if (!v0.getShape().equals(new Shape(batch, width))) {
            throw new IllegalArgumentException(
                    "membrane state has shape "
                            + v0.getShape()
                            + ", expected "
                            + new Shape(batch, width));
        }
        return v0.toType(DataType.FLOAT32, false).toFloatArray();
    }

    /**
     * Attaches a surrogate gradient to exact spikes: returns {@code spikes + (y - stop(y))}, whose
     * value equals {@code spikes} bit for bit and whose gradient is that of {@code y}.
     *
     * @param spikes the exact 0/1 spikes (no gradient)
     * @param y a differentiable expression with the wanted Jacobian
     * @return the spikes with the gradient of {@code y}
     */
    protected static NDArray straightThrough(NDArray spikes, NDArray y) {
        return spikes.add(y.sub(y.stopGradient()));
    }

    /**
     * Creates a native-owned array from Java values.
     *
     * @param manager the manager
     * @param data the values
     * @param shape the shape
     * @return the array
     */
    protected static NDArray array(NDManager manager, float[] data, Shape shape) {
        return Tensors.fromJava(manager, data, shape);
    }
}
