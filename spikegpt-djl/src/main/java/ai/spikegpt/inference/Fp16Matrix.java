package ai.spikegpt.inference;

/** A {@link Matrix} of IEEE half-precision weights, decoded a chunk of rows at a time. */
final class Fp16Matrix extends Matrix {

    private final short[] packed;

    Fp16Matrix(float[] w, int out, int in) {
        super(out, in);
        packed = new short[w.length];
        for (int o = 0; o < out; o++) {
            for (int j = 0; j < in; j++) {
                packed[packedIndex(o, j)] = Half.fromFloat(w[o * in + j]);
            }
        }
    }

    @Override
    float[] packed() {
        return null;
    }

    @Override
    void decode(int p, int j0, int n, float[] scratch) {
        PanelKernel.halvesToFloats(packed, packedIndex(p * PANEL, j0), scratch, 0, n * width(p));
    }
}
