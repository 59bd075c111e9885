package ai.spikegpt.inference;

/** A {@link Matrix} of fp32 weights, read in place. */
final class Fp32Matrix extends Matrix {

    private final float[] packed;

    Fp32Matrix(float[] w, int out, int in) {
        super(out, in);
        packed = new float[w.length];
        for (int o = 0; o < out; o++) {
            for (int j = 0; j < in; j++) {
                packed[packedIndex(o, j)] = w[o * in + j];
            }
        }
    }

    @Override
    float[] packed() {
        return packed;
    }

    @Override
    void decode(int p, int j0, int n, float[] scratch) {
        throw new UnsupportedOperationException("fp32 weights are read in place");
    }
}
