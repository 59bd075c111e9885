package ai.spikegpt.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * The WKV operator of RWKV-4 (the "attention" of SpikeGPT's spiking RWKV), per channel c:
 *
 * <pre>
 *   wkv[t] = ( sum_{j<t} e^{(t-1-j) w + k[j]} v[j] + e^{u + k[t]} v[t] )
 *          / ( sum_{j<t} e^{(t-1-j) w + k[j]}      + e^{u + k[t]}      )
 *   w = -exp(time_decay) < 0 (decay),  u = time_first (bonus of the current token)
 * </pre>
 *
 * <p>The state before token t is {@code (aa, bb, pp)}: numerator {@code aa e^pp}, denominator
 * {@code bb e^pp}, with the running exponent {@code pp[t+1] = max(pp[t] + w, k[t])} that keeps
 * every term at most 1 (the reference's stable recurrence; the empty state is {@code aa = bb = 0,
 * pp = -1e30}).
 *
 * <p>How it is computed: {@code pp} is a max-plus recurrence with no exponentials; it runs as a
 * Java loop and is treated as a constant. Given {@code pp}, {@code (aa, bb)} obey the linear
 * recurrence
 *
 * <pre>
 *   aa[t+1] = e^{pp[t] + w - pp[t+1]} aa[t] + e^{k[t] - pp[t+1]} v[t]     (bb: v = 1)
 * </pre>
 *
 * which {@link LinearScan} evaluates with differentiable native operations. Because {@code pp}
 * cancels between numerator and denominator, holding it constant leaves the gradient exact: the
 * whole operator is differentiated by autograd in O(log T) native calls, and its forward value
 * equals the sequential recurrence up to float rounding.
 */
public final class Wkv {

    /** The exponent of the empty state (the original RNN code's value). */
    public static final float EMPTY_EXPONENT = -1e30f;

    private Wkv() {}

    /**
     * The output and the state after the last token.
     *
     * @param y the WKV output {@code [B, T, C]}
     * @param aa the numerator state {@code [B, C]}
     * @param bb the denominator state {@code [B, C]}
     * @param pp the exponent state {@code [B, C]} (no gradient)
     */
    public record Result(NDArray y, NDArray aa, NDArray bb, NDArray pp) {}

    /**
     * Runs WKV over a sequence from a given state.
     *
     * @param w the decay {@code -exp(time_decay)}, {@code [C]}
     * @param u the bonus {@code time_first}, {@code [C]}
     * @param k the keys {@code [B, T, C]}
     * @param v the values {@code [B, T, C]}
     * @param aa0 the numerator state, {@code [B, C]}, or null for the empty state
     * @param bb0 the denominator state, {@code [B, C]}, or null
     * @param pp0 the exponent state, {@code [B, C]}, or null
     * @return the output and the final state
     */
    public static Result forward(
            NDArray w, NDArray u, NDArray k, NDArray v, NDArray aa0, NDArray bb0, NDArray pp0) {
        Shape shape = k.getShape();
        int batch = Math.toIntExact(shape.get(0));
        int steps = Math.toIntExact(shape.get(1));
        int width = Math.toIntExact(shape.get(2));
        NDManager manager = k.getManager();

        // 1. the running exponent pp (before each token, and after the last) and the output's
        //    exponent m = max(pp, u + k), in the reference's float32 operation order
        float[] kf = k.toFloatArray();
        float[] wf = w.toFloatArray();
        float[] uf = u.toFloatArray();
        float[] p0 = pp0 == null ? null : pp0.toFloatArray();
        float[] p = new float[batch * (steps + 1) * width];
        float[] m = new float[batch * steps * width];
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < width; c++) {
                float pc = p0 == null ? EMPTY_EXPONENT : p0[b * width + c];
                p[b * (steps + 1) * width + c] = pc;
                for (int t = 0; t < steps; t++) {
                    float kt = kf[(b * steps + t) * width + c];
                    m[(b * steps + t) * width + c] = Math.max(pc, uf[c] + kt);
                    pc = Math.max(pc + wf[c], kt);
                    p[(b * (steps + 1) + t + 1) * width + c] = pc;
                }
            }
        }
        NDArray pAll = Tensors.fromJava(manager, p, new Shape(batch, steps + 1, width));
        NDArray pBefore = pAll.get(new NDIndex().addAllDim().addSliceDim(0, steps));
        NDArray pAfter = pAll.get(new NDIndex().addAllDim().addSliceDim(1, steps + 1));
        NDArray mArray = Tensors.fromJava(manager, m, shape);

        // 2. (aa, bb) by a linear scan over positions 0..T; position 0 holds the initial state
        NDArray decay = pBefore.add(w).sub(pAfter).exp(); // e^{pp[t] + w - pp[t+1]}
        NDArray admit = k.sub(pAfter).exp(); // e^{k[t] - pp[t+1]}
        NDArray first =
                aa0 == null
                        ? manager.zeros(new Shape(batch, 1, 2, width))
                        : NDArrays.stack(new NDList(aa0, bb0), 1).expandDims(1);
        NDArray inputs =
                first.concat(NDArrays.stack(new NDList(admit.mul(v), admit), 2), 1); // [B, T+1, 2, C]
        NDArray gates = manager.zeros(new Shape(batch, 1, width)).concat(decay, 1).expandDims(2);
        NDArray state = LinearScan.scan(gates, inputs);
        NDArray before = state.get(new NDIndex().addAllDim().addSliceDim(0, steps)); // [B, T, 2, C]
        NDArray aa = before.get(new NDIndex(":, :, 0"));
        NDArray bb = before.get(new NDIndex(":, :, 1"));

        // 3. the output, with the current token's bonus
        NDArray e1 = pBefore.sub(mArray).exp();
        NDArray e2 = k.add(u).sub(mArray).exp();
        NDArray y = e1.mul(aa).add(e2.mul(v)).div(e1.mul(bb).add(e2));

        NDArray last = state.get(new NDIndex(":, {}", steps)); // [B, 2, C]
        return new Result(
                y,
                last.get(new NDIndex(":, 0")),
                last.get(new NDIndex(":, 1")),
                pAll.get(new NDIndex(":, {}", steps)));
    }
}
