package ai.spikegpt.inference;

import java.util.Arrays;

/**
 * The inner loop of every matrix product of the Java engine: for up to {@link #GROUP} rows of
 * inputs and one panel of at most {@link #WIDTH} output columns, {@code y[r, 0:width] += sum_j x[r,
 * j] w[j, 0:width]}, with the panel's weights packed row after row ({@code w[j]} at {@code wOff + j
 * * width}). The sums stay in registers for the whole pass over j and each weight vector read
 * serves all rows of the group, which is what makes a product of many rows a GEMM rather than a
 * sweep of axpys through memory. The columns summed over come as a list: every column, or the ones
 * not silent in the rows ({@link #activeColumns}): an event-driven product with the same result.
 *
 * <p>The vector form ({@link VectorPanelKernel}, fused multiply-adds on the widest vectors the CPU
 * has) runs when the JVM was started with {@code --add-modules jdk.incubator.vector} (the {@code
 * spikegpt} launcher, the benchmark workers and the tests do); HotSpot 17 does not vectorise the
 * plain loop below by itself, which gives the same sums up to rounding.
 */
final class PanelKernel {

    /** Whether the vector API is there (decided once; the JIT folds the branch away). */
    static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /** Output columns of a panel: four vectors, so that four rows take 16 accumulators. */
    static final int WIDTH = VECTOR ? VectorPanelKernel.WIDTH : 64;

    /** Rows that share one pass over a panel's weights. */
    static final int GROUP = 4;

    private PanelKernel() {}

    /**
     * {@code y[r, 0:width] (+)= sum_j x[r, j] w[j, 0:width]} for {@code r < rows}, over the input
     * columns {@code j = active[from..to)} (all columns, or those not silent in every row).
     *
     * @param x the inputs, row r's column j at {@code xOff + r * xStride + j}
     * @param rows 1 to {@link #GROUP} rows
     * @param active the input columns to sum over, ascending
     * @param from the first entry of {@code active} to use
     * @param to one past the last entry
     * @param w the packed panel, {@code w[j, o]} at {@code wOff + j * width + o}
     * @param width the panel's columns, at most {@link #WIDTH}
     * @param y the sums, row r's column o at {@code yOff + r * yStride + o}
     * @param add whether to add to y's values (or to overwrite them)
     */
    static void accumulate(
            float[] x,
            int xOff,
            int xStride,
            int rows,
            int[] active,
            int from,
            int to,
            float[] w,
            int wOff,
            int width,
            float[] y,
            int yOff,
            int yStride,
            boolean add) {
        if (VECTOR) {
            VectorPanelKernel.accumulate(
                    x, xOff, xStride, rows, active, from, to, w, wOff, width, y, yOff, yStride,
                    add);
            return;
        }
        if (!add) {
            for (int r = 0; r < rows; r++) {
                Arrays.fill(y, yOff + r * yStride, yOff + r * yStride + width, 0f);
            }
        }
        for (int i = from; i < to; i++) {
            int j = active[i];
            for (int r = 0; r < rows; r++) {
                float a = x[xOff + r * xStride + j];
                int yr = yOff + r * yStride;
                int wj = wOff + j * width;
                for (int o = 0; o < width; o++) {
                    y[yr + o] += a * w[wj + o];
                }
            }
        }
    }

    /**
     * Lists the input columns a group of rows needs: those that are not zero in every row (the
     * event-driven product: silent neurons cost nothing).
     *
     * @param x the inputs, row r's column j at {@code xOff + r * xStride + j}
     * @param rows the rows of the group
     * @param columns the input columns
     * @param active receives the columns, ascending, from index 0
     * @return how many columns were listed
     */
    static int activeColumns(
            float[] x, int xOff, int xStride, int rows, int columns, int[] active) {
        // without a branch on the inputs: spikes come at random, a branch would be mispredicted
        int count = 0;
        for (int j = 0; j < columns; j++) {
            int bits = 0;
            for (int r = 0; r < rows; r++) {
                bits |= Float.floatToRawIntBits(x[xOff + r * xStride + j]);
            }
            active[count] = j;
            count += (bits & 0x7fffffff) != 0 ? 1 : 0; // -0 is as silent as 0
        }
        return count;
    }

    /** {@code out[outOff + i] = q[off + i]} for {@code i < n}: int8 weights to floats. */
    static void bytesToFloats(byte[] q, int off, float[] out, int outOff, int n) {
        if (VECTOR) {
            VectorPanelKernel.bytesToFloats(q, off, out, outOff, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            out[outOff + i] = q[off + i];
        }
    }

    /** {@code out[outOff + i] = half(q[off + i])} for {@code i < n}: fp16 weights to floats. */
    static void halvesToFloats(short[] q, int off, float[] out, int outOff, int n) {
        if (VECTOR) {
            VectorPanelKernel.halvesToFloats(q, off, out, outOff, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Half.toFloat(q[off + i]);
        }
    }

    /**
     * @return which kernel runs, for benchmark reports
     */
    static String kernel() {
        return VECTOR ? "jdk.incubator.vector " + VectorPanelKernel.species() : "scalar Java loop";
    }
}
