package ai.spikegpt.inference;

/**
 * {@code y[yOff + i] += a * w[wOff + i]}, the inner loop of every matrix product of the Java
 * engine. HotSpot 17 does not vectorise this loop by itself (it cannot rule out that {@code w} and
 * {@code y} overlap): written with {@code jdk.incubator.vector} it runs about 6 times faster (0.85
 * vs 5.3 GMAC/s a core, measured on an AVX-512 EPYC under load). The vector form runs when the JVM
 * was started with {@code --add-modules jdk.incubator.vector} (the {@code spikegpt} launcher, the
 * benchmark workers and the tests do); without it the plain loop gives the same sums up to rounding
 * (the vector form uses fused multiply-adds).
 */
final class Axpy {

    /** Whether the vector API is there (decided once; the JIT folds the branch away). */
    static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private Axpy() {}

    static void axpy(float a, float[] w, int wOff, float[] y, int yOff, int n) {
        if (VECTOR) {
            VectorAxpy.axpy(a, w, wOff, y, yOff, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            y[yOff + i] += a * w[wOff + i];
        }
    }

    /** {@code out[i] = q[off + i]} for {@code i < n}: int8 weights to floats. */
    static void bytesToFloats(byte[] q, int off, float[] out, int n) {
        if (VECTOR) {
            VectorAxpy.bytesToFloats(q, off, out, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            out[i] = q[off + i];
        }
    }

    /**
     * @return which kernel runs, for benchmark reports
     */
    static String kernel() {
        return VECTOR ? "jdk.incubator.vector " + VectorAxpy.species() : "scalar Java loop";
    }
}
