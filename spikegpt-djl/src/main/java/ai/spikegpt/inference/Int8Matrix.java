package ai.spikegpt.inference;

/**
 * A {@link Matrix} of int8 weights with one scale per output row, {@code W[o, j] ~ scale[o] q[o,
 * j]}: the bytes are widened in registers for one row, decoded a chunk of rows at a time for a
 * batch, and the scales applied to the finished sums.
 */
final class Int8Matrix extends Matrix {

    private final byte[] packed;
    private final float[] scale;

    Int8Matrix(float[] w, int out, int in) {
        super(out, in);
        packed = new byte[w.length];
        scale = new float[out];
        for (int o = 0; o < out; o++) {
            float max = 0f;
            for (int j = 0; j < in; j++) {
                max = Math.max(max, Math.abs(w[o * in + j]));
            }
            scale[o] = max / 127f;
            float inv = max == 0f ? 0f : 127f / max;
            for (int j = 0; j < in; j++) {
                packed[packedIndex(o, j)] = (byte) Math.round(w[o * in + j] * inv);
            }
        }
    }

    @Override
    float[] packed() {
        return null;
    }

    @Override
    void decode(int p, int j0, int n, float[] scratch) {
        PanelKernel.bytesToFloats(packed, packedIndex(p * PANEL, j0), scratch, 0, n * width(p));
    }

    @Override
    boolean oneRowInPlace(
            float[] x, int xOff, int[] active, int count, int p, float[] y, int yOff) {
        if (!PanelKernel.VECTOR || width(p) != PANEL) {
            return false;
        }
        VectorPanelKernel.oneRowBytes(
                x, xOff, active, 0, count, packed, packedIndex(p * PANEL, 0), y, yOff);
        return true;
    }

    @Override
    void finish(float[] y, int r0, int r1, int o, int width) {
        for (int r = r0; r < r1; r++) {
            int base = r * out + o;
            for (int i = 0; i < width; i++) {
                y[base + i] *= scale[o + i];
            }
        }
    }
}
