package ai.spikegpt.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * A memoryless spiking neuron: {@code s[t] = H(x[t] - v_th)}, with the surrogate gradient {@code
 * ds/dx = g(x - v_th)}. It is the binariser of the paper's "Heaviside RWKV" ablation (Table 5) and,
 * with {@code v_th = 0}, of the binary embedding. It has no membrane: the returned state is zeros.
 */
public final class HeavisideNeuron extends SpikingNeuron {

    /**
     * @param surrogate the surrogate gradient
     * @param threshold the threshold (initial value if learnable)
     * @param learnableThreshold whether the threshold is trained
     */
    public HeavisideNeuron(Surrogate surrogate, float threshold, boolean learnableThreshold) {
        super(surrogate, threshold, learnableThreshold);
    }

    @Override
    public NDList spike(ParameterStore parameterStore, NDArray x, NDArray v0, boolean training) {
        checkInput(x);
        Shape shape = x.getShape();
        NDArray theta =
                threshold == null ? null : thresholdArray(parameterStore, x.getDevice(), training);
        NDArray s =
                heaviside(
                        x,
                        theta == null ? initialThreshold : theta.getFloat(),
                        surrogate,
                        training,
                        theta);
        return new NDList(s, x.getManager().zeros(new Shape(shape.get(0), shape.get(2))));
    }

    /**
     * Binarises any array: {@code H(x - threshold)} forward and {@code g(x - threshold)} backward.
     *
     * @param x the input
     * @param threshold the threshold value
     * @param surrogate the surrogate gradient
     * @param training whether to attach the surrogate gradient
     * @param thresholdParameter the threshold as a trained parameter, or null when fixed
     * @return 0/1 values of the shape of {@code x}
     */
    public static NDArray heaviside(
            NDArray x,
            float threshold,
            Surrogate surrogate,
            boolean training,
            NDArray thresholdParameter) {
        NDManager manager = x.getManager();
        float[] in = x.toFloatArray();
        float[] spikes = new float[in.length];
        float[] slope = training ? new float[in.length] : null;
        for (int i = 0; i < in.length; i++) {
            float z = in[i] - threshold;
            spikes[i] = z >= 0f ? 1f : 0f;
            if (training) {
                slope[i] = surrogate.derivative(z);
            }
        }
        NDArray s = array(manager, spikes, x.getShape());
        if (!training) {
            return s;
        }
        NDArray centred = thresholdParameter == null ? x : x.sub(thresholdParameter);
        return straightThrough(s, array(manager, slope, x.getShape()).mul(centred));
    }
}
