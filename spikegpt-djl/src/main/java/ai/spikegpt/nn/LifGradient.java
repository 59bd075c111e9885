package ai.spikegpt.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The two gradient implementations of a {@link LifNeuron} (the math is in its Javadoc): the
 * surrogate path, an autograd graph whose gradient is the linearised dynamics evaluated with {@link
 * LinearScan}, and the segmented backward, the same recurrence as a Java loop run by a {@link
 * SegmentedBackward} (fixed tau and threshold).
 */
final class LifGradient {

    private LifGradient() {}

    /**
     * The input gradient for fixed tau and threshold, the reverse of the linearised dynamics:
     * {@code lambda[t] = slope[t] ds[t] + gate[t+1] lambda[t+1]}, {@code dx[t] = lambda[t]} (the
     * 1/tau is folded into the slope).
     */
    static float[] segmented(LifTrace trace, float[] ds, int batch, int steps, int width) {
        float[] dx = new float[ds.length];
        Parallel.rows(
                batch,
                (long) steps * width,
                b -> {
                    int last = (b * steps + steps - 1) * width;
                    for (int n = 0; n < width; n++) {
                        dx[last + n] = trace.slope[last + n] * ds[last + n];
                    }
                    for (int t = steps - 2; t >= 0; t--) {
                        int base = (b * steps + t) * width;
                        for (int n = 0; n < width; n++) {
                            int i = base + n;
                            dx[i] = trace.slope[i] * ds[i] + trace.gate[i + width] * dx[i + width];
                        }
                    }
                });
        return dx;
    }

    /**
     * The surrogate path: {@code y = g(h - theta) * (z - theta)}, {@code z[t] = gate[t] z[t-1] +
     * u[t]}, whose value is zero and whose gradient is the neuron's.
     *
     * @return the spikes and {@code y}, for {@link SpikingNeuron#straightThrough}
     */
    static NDArray[] surrogatePath(
            LifTrace trace,
            NDArray x,
            Shape shape,
            float invTau,
            NDArray logitArray,
            NDArray thetaArray) {
        NDManager manager = x.getManager();
        List<float[]> parts = new ArrayList<>(List.of(trace.spikes, trace.slope, trace.gate));
        if (trace.vPrev != null) {
            parts.add(trace.vPrev);
        }
        if (trace.thetaGate != null) {
            parts.add(trace.thetaGate);
        }
        NDArray[] arrays = Tensors.fromJava(manager, shape, parts.toArray(new float[0][]));
        NDArray spikeArray = arrays[0];
        NDArray slopeArray = arrays[1];
        NDArray gateArray = arrays[2];
        int next = 3;
        NDArray y;
        if (trace.vPrev == null && trace.thetaGate == null) {
            // fixed tau and threshold: z = scan(gate, x) / tau, the 1/tau folded into the slope
            y = slopeArray.mul(LinearScan.scan(gateArray, x));
        } else {
            // u[t] = x[t]/tau + (x[t] - v[t-1]) d(1/tau) + (1 - 1/tau) dv[t-1]/dtheta dtheta
            NDArray u = x.mul(Tensors.scalar(manager, invTau));
            if (trace.vPrev != null) {
                NDArray drive = x.stopGradient().sub(arrays[next++]);
                u =
                        u.add(
                                drive.mul(
                                        Tensors.local(
                                                logitArray.getNDArrayInternal().sigmoid(),
                                                manager)));
            }
            if (trace.thetaGate != null) {
                u = u.add(arrays[next++].mul(thetaArray));
            }
            NDArray z = LinearScan.scan(gateArray, u);
            y = slopeArray.mul(thetaArray == null ? z : z.sub(thetaArray));
        }
        return new NDArray[] {spikeArray, y};
    }
}
