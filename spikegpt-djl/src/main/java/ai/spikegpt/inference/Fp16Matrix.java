package ai.spikegpt.inference;

/**
 * A {@link Matrix} of IEEE half-precision weights: widened in registers for one row (generation),
 * decoded a chunk of rows at a time for a batch.
 */
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

    @Override
    boolean oneRowInPlace(
            float[] x, int xOff, int[] active, int count, int p, float[] y, int yOff) {
        if (!PanelKernel.VECTOR || width(p) != PANEL) {
            return false;
        }
        VectorPanelKernel.oneRowHalves(
                x, xOff, active, 0, count, packed, packedIndex(p * PANEL, 0), y, yOff);
        return true;
    }
}
