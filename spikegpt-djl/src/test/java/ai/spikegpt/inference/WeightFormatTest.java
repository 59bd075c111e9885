package ai.spikegpt.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The matrix formats: half precision rounds as IEEE does, and each format's product stays within
 * its error bound of the exact product (fp32: rounding only; fp16: 2^-11 of each weight; int8: half
 * a quantisation step of each row).
 */
class WeightFormatTest {

    @Test
    void halfPrecisionRoundTripsEveryHalfAndRoundsToNearestEven() {
        for (int h = 0; h < 1 << 16; h++) {
            float f = Half.toFloat((short) h);
            if (!Float.isNaN(f)) {
                assertEquals((short) h, Half.fromFloat(f), "half " + Integer.toHexString(h));
            }
        }
        assertEquals(1f, Half.toFloat(Half.fromFloat(1f + 0x1p-11f)), "tie to even (down)");
        assertEquals(1f + 0x1p-9f, Half.toFloat(Half.fromFloat(1f + 3 * 0x1p-11f)), "tie up");
        assertEquals(65504f, Half.toFloat(Half.fromFloat(65504f)));
        assertEquals(Float.POSITIVE_INFINITY, Half.toFloat(Half.fromFloat(1e6f)));
        assertEquals(0x1p-24f, Half.toFloat(Half.fromFloat(0x1p-24f)), "smallest subnormal");
        assertEquals(-0f, Half.toFloat(Half.fromFloat(-0f)));
    }

    @Test
    void theVectorHalfDecoderGivesEveryFiniteHalfExactly() {
        short[] halves = new short[1 << 16];
        for (int h = 0; h < halves.length; h++) {
            halves[h] = (short) h;
        }
        float[] floats = new float[halves.length + 3];
        // from an odd offset, into an odd offset, with a tail the vectors leave over
        PanelKernel.halvesToFloats(halves, 1, floats, 3, halves.length - 1);
        for (int h = 1; h < halves.length; h++) {
            float expected = Half.toFloat((short) h);
            if (Float.isFinite(expected)) {
                assertEquals(
                        Float.floatToRawIntBits(expected),
                        Float.floatToRawIntBits(floats[h + 2]),
                        "half " + Integer.toHexString(h));
            }
        }
    }

    @Test
    void everyFormatStaysWithinItsErrorBound() {
        // a narrow last panel; full panels with groups of rows, the rows left over and decoding in
        // chunks; and a product large enough to be cut into tasks for two threads
        checkBounds(40, 70, 11);
        checkBounds(40, 70, 1);
        checkBounds(2 * Matrix.PANEL + 22, 150, 11);
        checkBounds(3 * Matrix.PANEL, 700, 70);
        checkBounds(8 * Matrix.PANEL, 600, 1);
    }

    private static void checkBounds(int out, int in, int rows) {
        Random random = new Random(3);
        float[] w = new float[out * in];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        float[] x = new float[rows * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextInt(3) == 0 ? 0f : (float) random.nextGaussian();
        }
        for (WeightFormat format : WeightFormat.values()) {
            Matrix m = Matrix.of(w, out, in, format);
            float[] sparse = new float[rows * out];
            float[] dense = new float[rows * out];
            MacCounter counter = new MacCounter();
            m.multiply(x, rows, sparse, true, counter);
            m.multiply(x, rows, dense, false, null);
            if (rows == 1) {
                // a third of the inputs are zero; in groups of rows a column is skipped only
                // where every row of the group is zero
                assertTrue(counter.skippedFraction() > 0.2, "skipped " + counter.skippedFraction());
            }
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < out; o++) {
                    double exact = 0;
                    double magnitude = 0;
                    double rowMax = 0;
                    double inputs = 0;
                    for (int j = 0; j < in; j++) {
                        exact += (double) w[o * in + j] * x[r * in + j];
                        magnitude += Math.abs((double) w[o * in + j] * x[r * in + j]);
                        rowMax = Math.max(rowMax, Math.abs(w[o * in + j]));
                        inputs += Math.abs(x[r * in + j]);
                    }
                    double bound =
                            switch (format) {
                                case FP32 -> 1e-6 * magnitude;
                                case FP16 -> 0x1p-11 * magnitude + 1e-6 * magnitude;
                                case INT8 -> rowMax / 127 / 2 * inputs + 1e-6 * magnitude;
                            };
                    int at = r * out + o;
                    assertEquals(dense[at], sparse[at], format + ": sparse vs dense");
                    assertTrue(
                            Math.abs(sparse[at] - exact) <= bound,
                            format + " [" + r + ", " + o + "]: " + sparse[at] + " vs " + exact);
                }
            }
        }
    }
}
