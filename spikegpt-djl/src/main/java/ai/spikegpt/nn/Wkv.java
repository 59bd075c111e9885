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
 * pp = -1e30}):
 *
 * <pre>
 *   out:    m = max(pp, u+k);  e1 = e^{pp-m};  e2 = e^{u+k-m};  wkv = (e1 aa + e2 v) / (e1 bb + e2)
 *   update: m = max(pp+w, k);  g = e^{pp+w-m}; a = e^{k-m};    aa = g aa + a v;  bb = g bb + a;  pp = m
 * </pre>
 *
 * <p>Two implementations of the same recurrence. Without gradients (inference, generation) it runs
 * exactly as above in one Java loop: a few native calls whatever the length. With gradients
 * (training), {@code pp} (a max-plus recurrence, no exponentials) runs in Java and is held
 * constant, and {@code (aa, bb)} follow the linear recurrence {@code aa[t+1] = g[t] aa[t] + a[t]
 * v[t]}, which {@link LinearScan} evaluates with differentiable native operations whose number
 * grows with log T. Because {@code pp} cancels between numerator and denominator, holding it
 * constant leaves the gradient exact; the decay gates are held constant too, and the decay's
 * gradient enters through a zero-valued input term (see the code). Under a {@link
 * SegmentedBackward} (training from the empty state) the recurrence runs in Java instead, with the
 * exponentials computed natively, and the gradient is the hand-written adjoint recurrence.
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
     * @param timeDecay the decay parameter, {@code w = -exp(time_decay)}, {@code [C]}
     * @param u the bonus {@code time_first}, {@code [C]}
     * @param k the keys {@code [B, T, C]}
     * @param v the values {@code [B, T, C]}
     * @param aa0 the numerator state, {@code [B, C]}, or null for the empty state
     * @param bb0 the denominator state, {@code [B, C]}, or null
     * @param pp0 the exponent state, {@code [B, C]}, or null
     * @param differentiable whether gradients are wanted (training)
     * @return the output and the final state
     */
    public static Result forward(
            NDArray timeDecay,
            NDArray u,
            NDArray k,
            NDArray v,
            NDArray aa0,
            NDArray bb0,
            NDArray pp0,
            boolean differentiable) {
        if (differentiable) {
            NDArray w = Tensors.local(timeDecay.exp(), k.getManager()).neg();
            SegmentedBackward tape = SegmentedBackward.recording();
            if (tape != null && aa0 == null) {
                return cut(tape, w, u, k, v);
            }
            return scan(w, u, k, v, aa0, bb0, pp0);
        }
        return recurrent(timeDecay, u, k, v, aa0, bb0, pp0);
    }

    /** The stable recurrence step by step in Java (no gradient). */
    private static Result recurrent(
            NDArray timeDecay,
            NDArray u,
            NDArray k,
            NDArray v,
            NDArray aa0,
            NDArray bb0,
            NDArray pp0) {
        Shape shape = k.getShape();
        int batch = Math.toIntExact(shape.get(0));
        int steps = Math.toIntExact(shape.get(1));
        int width = Math.toIntExact(shape.get(2));
        float[] kf = k.toFloatArray();
        float[] vf = v.toFloatArray();
        float[] wf = timeDecay.toFloatArray();
        for (int c = 0; c < wf.length; c++) {
            wf[c] = -(float) Math.exp(wf[c]);
        }
        float[] uf = u.toFloatArray();
        float[] aa = aa0 == null ? new float[batch * width] : aa0.toFloatArray();
        float[] bb = bb0 == null ? new float[batch * width] : bb0.toFloatArray();
        float[] pp = pp0 == null ? filled(batch * width, EMPTY_EXPONENT) : pp0.toFloatArray();
        float[] y = new float[kf.length];
        Parallel.rows(
                batch,
                (long) steps * width,
                b -> WkvRecurrence.scanRow(b, steps, width, kf, vf, wf, uf, aa, bb, pp, y));
        NDManager manager = k.getManager();
        NDArray[] state = Tensors.fromJava(manager, new Shape(batch, width), aa, bb, pp);
        return new Result(Tensors.fromJava(manager, y, shape), state[0], state[1], state[2]);
    }

    private static float[] filled(int n, float value) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, value);
        return a;
    }

    /**
     * The running exponent before each token and after the last ({@code [B, T+1, C]}), and the
     * output's exponent {@code m = max(pp, u + k)} ({@code [B, T, C]}), in the reference's float32
     * operation order; no exponentials.
     */
    private static float[][] exponents(
            float[] kf, float[] wf, float[] uf, float[] p0, int batch, int steps, int width) {
        float[] p = new float[batch * (steps + 1) * width];
        float[] m = new float[batch * steps * width];
        Parallel.rows(
                batch,
                (long) steps * width,
                b -> {
                    float[] pc = new float[width];
                    for (int c = 0; c < width; c++) {
                        pc[c] = p0 == null ? EMPTY_EXPONENT : p0[b * width + c];
                    }
                    System.arraycopy(pc, 0, p, b * (steps + 1) * width, width);
                    for (int t = 0; t < steps; t++) {
                        int in = (b * steps + t) * width;
                        int out = (b * (steps + 1) + t + 1) * width;
                        for (int c = 0; c < width; c++) {
                            float kt = kf[in + c];
                            m[in + c] = Math.max(pc[c], uf[c] + kt);
                            pc[c] = Math.max(pc[c] + wf[c], kt);
                            p[out + c] = pc[c];
                        }
                    }
                });
        return new float[][] {p, m};
    }

    /**
     * The {@link #exponents} as arrays: pp before and after each token and m ({@code [B, T, C]}),
     * and pp after the last token ({@code [B, C]}).
     */
    private record Exponents(NDArray before, NDArray after, NDArray max, NDArray last) {
        static Exponents of(NDManager manager, float[][] pm, Shape shape) {
            long steps = shape.get(1);
            NDArray all =
                    Tensors.fromJava(
                            manager, pm[0], new Shape(shape.get(0), steps + 1, shape.get(2)));
            return new Exponents(
                    all.get(new NDIndex().addAllDim().addSliceDim(0, steps)),
                    all.get(new NDIndex().addAllDim().addSliceDim(1, steps + 1)),
                    Tensors.fromJava(manager, pm[1], shape),
                    all.get(new NDIndex(":, {}", steps)));
        }
    }

    /**
     * The training form under a {@link SegmentedBackward}: the recurrence runs in Java from an
     * empty state, with the exponentials computed natively, and the gradient is written by hand
     * (the adjoint recurrence of the state, the same math as autograd through {@link #scan}).
     */
    private static Result cut(SegmentedBackward tape, NDArray w, NDArray u, NDArray k, NDArray v) {
        Shape shape = k.getShape();
        int batch = Math.toIntExact(shape.get(0));
        int steps = Math.toIntExact(shape.get(1));
        int width = Math.toIntExact(shape.get(2));
        NDManager manager = k.getManager();
        float[] kf = k.toFloatArray();
        float[] vf = v.toFloatArray();
        float[] wf = w.toFloatArray();
        float[] uf = u.toFloatArray();
        float[][] pm = exponents(kf, wf, uf, null, batch, steps, width);

        // the exponentials, natively (vectorised), per token: the state's decay g and the
        // admission a of the token into the state, and the output's weights e1 (state) and e2
        // (token)
        float[] g;
        float[] a;
        float[] e1;
        float[] e2;
        float[] ppLast;
        try (NDManager scratch = manager.newSubManager()) {
            Exponents p = Exponents.of(scratch, pm, shape);
            NDArray kc = Tensors.local(k.stopGradient(), scratch);
            g =
                    p.before()
                            .add(Tensors.local(w.stopGradient(), scratch))
                            .sub(p.after())
                            .exp()
                            .toFloatArray();
            a = kc.sub(p.after()).exp().toFloatArray();
            e1 = p.before().sub(p.max()).exp().toFloatArray();
            e2 = kc.add(Tensors.local(u.stopGradient(), scratch)).sub(p.max()).exp().toFloatArray();
            ppLast = p.last().toFloatArray();
        }

        // the state (aa, bb) before each token, the output and its denominator
        int size = kf.length;
        float[] aa = new float[size];
        float[] bb = new float[size];
        float[] den = new float[size];
        float[] y = new float[size];
        float[] aaLast = new float[batch * width];
        float[] bbLast = new float[batch * width];
        Parallel.rows(
                batch,
                (long) steps * width,
                b -> {
                    for (int t = 0; t < steps; t++) {
                        int base = (b * steps + t) * width;
                        for (int c = 0; c < width; c++) {
                            int i = base + c;
                            int s = b * width + c;
                            float sa = aaLast[s];
                            float sb = bbLast[s];
                            aa[i] = sa;
                            bb[i] = sb;
                            den[i] = e1[i] * sb + e2[i];
                            y[i] = (e1[i] * sa + e2[i] * vf[i]) / den[i];
                            aaLast[s] = g[i] * sa + a[i] * vf[i];
                            bbLast[s] = g[i] * sb + a[i];
                        }
                    }
                });

        NDArray[] state =
                Tensors.fromJava(manager, new Shape(batch, width), aaLast, bbLast, ppLast);
        NDArray out =
                tape.cut(
                        Tensors.fromJava(manager, y, shape),
                        new NDList(k, v, w, u),
                        grad -> {
                            float[] gy = grad.toFloatArray();
                            float[] dk = new float[size];
                            float[] dv = new float[size];
                            double[][] dw = new double[batch][width];
                            double[][] du = new double[batch][width];
                            Parallel.rows(
                                    batch,
                                    (long) steps * width,
                                    b -> {
                                        // the adjoints of the state after the current token (aa,
                                        // bb)
                                        float[] la = new float[width];
                                        float[] lb = new float[width];
                                        for (int t = steps - 1; t >= 0; t--) {
                                            int base = (b * steps + t) * width;
                                            for (int c = 0; c < width; c++) {
                                                int i = base + c;
                                                // into the state after token t: aa' = g aa + a v,
                                                // bb' = g bb + a
                                                float ai = a[i];
                                                float dvi = la[c] * ai;
                                                float dki = ai * (la[c] * vf[i] + lb[c]);
                                                dw[b][c] += g[i] * (la[c] * aa[i] + lb[c] * bb[i]);
                                                // the output y = (e1 aa + e2 v) / (e1 bb + e2)
                                                float r = gy[i] / den[i];
                                                float re2 = r * e2[i];
                                                float bonus = re2 * (vf[i] - y[i]);
                                                dv[i] = dvi + re2;
                                                dk[i] = dki + bonus;
                                                du[b][c] += bonus;
                                                // to the state before token t
                                                float re1 = r * e1[i];
                                                la[c] = g[i] * la[c] + re1;
                                                lb[c] = g[i] * lb[c] - re1 * y[i];
                                            }
                                        }
                                    });
                            NDManager gm = grad.getManager();
                            NDArray[] dkv = Tensors.fromJava(gm, shape, dk, dv);
                            NDArray[] dwu =
                                    Tensors.fromJava(gm, new Shape(width), sum(dw), sum(du));
                            return new NDList(dkv[0], dkv[1], dwu[0], dwu[1]);
                        });
        return new Result(out, state[0], state[1], state[2]);
    }

    private static float[] sum(double[][] rows) {
        float[] total = new float[rows[0].length];
        for (int c = 0; c < total.length; c++) {
            double s = 0;
            for (double[] row : rows) {
                s += row[c];
            }
            total[c] = (float) s;
        }
        return total;
    }

    /** The differentiable form: pp in Java, (aa, bb) by a differentiable linear scan. */
    private static Result scan(
            NDArray w, NDArray u, NDArray k, NDArray v, NDArray aa0, NDArray bb0, NDArray pp0) {
        Shape shape = k.getShape();
        int batch = Math.toIntExact(shape.get(0));
        int steps = Math.toIntExact(shape.get(1));
        int width = Math.toIntExact(shape.get(2));
        NDManager manager = k.getManager();

        // 1. the running exponent pp before each token and after the last, and the output's
        // exponent
        float[][] pm =
                exponents(
                        k.toFloatArray(),
                        w.toFloatArray(),
                        u.toFloatArray(),
                        pp0 == null ? null : pp0.toFloatArray(),
                        batch,
                        steps,
                        width);
        Exponents p = Exponents.of(manager, pm, shape);
        NDArray pBefore = p.before();
        NDArray pAfter = p.after();
        NDArray mArray = p.max();

        // 2. the state after each token: a linear recurrence with gates g = e^{pp[t] + w - pp[t+1]}
        //    and inputs e^{k[t] - pp[t+1]} (v[t], 1). The gates are held constant (cheaper to
        //    differentiate); w gets its gradient through a zero-valued input term instead: since
        //    dz[t] = g[t] dz[t-1] + g[t] z[t-1] dw + ..., adding g[t] z[t-1] (w - stop(w)) to the
        //    input restores the exact dz/dw. z[t-1] comes from a first pass without gradient.
        NDArray wFixed = w.stopGradient();
        NDArray gates = pBefore.add(wFixed).sub(pAfter).exp().expandDims(2); // [B, T, 1, C]
        NDArray admit = k.sub(pAfter).exp();
        NDArray inputs = NDArrays.stack(new NDList(admit.mul(v), admit), 2); // [B, T, 2, C]
        NDArray first = null; // the carried-in state as position 0, with no gate into it
        if (aa0 != null) {
            first = Tensors.local(NDArrays.stack(new NDList(aa0, bb0), 1), manager).expandDims(1);
            gates = manager.zeros(new Shape(batch, 1, 1, width)).concat(gates, 1);
            inputs = first.concat(inputs, 1);
        }
        LinearScan.Gates scan = new LinearScan.Gates(gates);
        NDArray fixedInputs = inputs.stopGradient();
        // g[t] z[t-1], from the values (a subtraction z[t] - u[t] would lose precision)
        NDArray carried = Tensors.shiftTime(scan.apply(fixedInputs), 1).mul(gates);
        NDArray all = scan.apply(inputs.add(carried.mul(w.sub(wFixed))));
        NDArray before; // the state before each token [B, T, 2, C]
        NDArray last; // the state after the last token [B, 2, C]
        if (aa0 == null) {
            before = Tensors.shiftTime(all, 1);
            last = all.get(new NDIndex(":, {}", steps - 1));
        } else {
            before = all.get(new NDIndex().addAllDim().addSliceDim(0, steps));
            last = all.get(new NDIndex(":, {}", steps));
        }
        NDArray aa = before.get(new NDIndex(":, :, 0"));
        NDArray bb = before.get(new NDIndex(":, :, 1"));

        // 3. the output, with the current token's bonus
        NDArray e1 = pBefore.sub(mArray).exp();
        NDArray e2 = k.add(u).sub(mArray).exp();
        NDArray y = e1.mul(aa).add(e2.mul(v)).div(e1.mul(bb).add(e2));
        return new Result(
                y, last.get(new NDIndex(":, 0")), last.get(new NDIndex(":, 1")), p.last());
    }
}
