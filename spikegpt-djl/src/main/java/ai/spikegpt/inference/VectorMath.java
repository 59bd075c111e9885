package ai.spikegpt.inference;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The element-wise recurrences of {@link Kernels} with the vector API, a vector of channels at a
 * time. The exponentials are the vector API's (the JDK's SVML routines, within an ulp or so of
 * {@link Math#exp}) instead of one {@code Math.exp} call per value, which made WKV and the sigmoid
 * a third of classification's time. LIF is the same float arithmetic as the scalar loop, lane by
 * lane. Loaded only when the module is present; the recurrences run here only for a channel count
 * that is a multiple of the vector length (every model here), the sigmoid leaves a tail.
 */
final class VectorMath {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();

    private VectorMath() {}

    /** The channels a vector loop covers; the rest is the scalar loops' tail. */
    static int vectorWidth(int width) {
        return width / L * L;
    }

    /** Whether rows of this width run here whole. */
    static boolean fits(int width) {
        return width % L == 0;
    }

    /** {@code x = 1 / (1 + exp(-x))} on {@code [from, from + vectorWidth(n))}. */
    static void sigmoid(float[] x, int from, int n) {
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        for (int i = from; i < from + vectorWidth(n); i += L) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, i);
            one.div(v.neg().lanewise(VectorOperators.EXP).add(one)).intoArray(x, i);
        }
    }

    /**
     * WKV over the steps of batch row b (a width that {@link #fits}): as {@code
     * WkvRecurrence.scanRow}, with the state of a vector of channels in registers.
     */
    static void wkvRow(
            int b,
            int steps,
            int width,
            float[] k,
            float[] v,
            float[] w,
            float[] u,
            float[] aa,
            float[] bb,
            float[] pp,
            float[] y) {
        for (int c = 0; c < vectorWidth(width); c += L) {
            int s = b * width + c;
            FloatVector wc = FloatVector.fromArray(SPECIES, w, c);
            FloatVector uc = FloatVector.fromArray(SPECIES, u, c);
            FloatVector a = FloatVector.fromArray(SPECIES, aa, s);
            FloatVector bv = FloatVector.fromArray(SPECIES, bb, s);
            FloatVector p = FloatVector.fromArray(SPECIES, pp, s);
            for (int t = 0; t < steps; t++) {
                int at = (b * steps + t) * width + c;
                FloatVector kt = FloatVector.fromArray(SPECIES, k, at);
                FloatVector vt = FloatVector.fromArray(SPECIES, v, at);
                FloatVector uk = uc.add(kt);
                FloatVector m = p.max(uk);
                FloatVector e1 = p.sub(m).lanewise(VectorOperators.EXP);
                FloatVector e2 = uk.sub(m).lanewise(VectorOperators.EXP);
                e1.mul(a).add(e2.mul(vt)).div(e1.mul(bv).add(e2)).intoArray(y, at);
                FloatVector pw = p.add(wc);
                FloatVector m2 = pw.max(kt);
                FloatVector g = pw.sub(m2).lanewise(VectorOperators.EXP);
                FloatVector e = kt.sub(m2).lanewise(VectorOperators.EXP);
                a = g.mul(a).add(e.mul(vt));
                bv = g.mul(bv).add(e);
                p = m2;
            }
            a.intoArray(aa, s);
            bv.intoArray(bb, s);
            p.intoArray(pp, s);
        }
    }

    /**
     * LIF over the steps of batch row b (a width that {@link #fits}), the same float operations as
     * {@code Kernels.lif}: {@code h = v + (x - v) / tau}, spike where {@code h >= theta}, then the
     * hard or soft reset.
     */
    static void lifRow(
            float[] x,
            int b,
            int steps,
            int width,
            float[] membrane,
            float tau,
            float theta,
            float reset,
            boolean hard) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        // no branch in the loop (see VectorPanelKernel): the soft reset subtracts theta, the hard
        // one subtracts 0 and then puts the reset potential where a spike was
        float subtracted = hard ? 0f : theta;
        VectorMask<Float> resets = one.compare(VectorOperators.EQ, hard ? 1f : 0f);
        for (int c = 0; c < vectorWidth(width); c += L) {
            int s = b * width + c;
            FloatVector v = FloatVector.fromArray(SPECIES, membrane, s);
            for (int t = 0; t < steps; t++) {
                int at = (b * steps + t) * width + c;
                FloatVector h = v.add(FloatVector.fromArray(SPECIES, x, at).sub(v).div(tau));
                VectorMask<Float> spike = h.compare(VectorOperators.GE, theta);
                FloatVector fired = zero.blend(one, spike);
                fired.intoArray(x, at);
                v = h.sub(fired.mul(subtracted)).blend(reset, spike.and(resets));
            }
            v.intoArray(membrane, s);
        }
    }
}
