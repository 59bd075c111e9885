package ai.spikegpt.inference;

import java.util.Arrays;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PanelKernel} with the vector API, the widest vectors the CPU has. A full panel is four
 * vectors wide; four rows then keep 16 sums in registers (AVX-512 has 32, AVX2 16 and two spare for
 * the weights are enough as the JIT reuses them). Loaded only when the module is present.
 */
final class VectorPanelKernel {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();

    /** A full panel: four vectors. */
    static final int WIDTH = 4 * L;

    private static final VectorSpecies<Integer> INTS =
            VectorSpecies.of(int.class, VectorShape.forBitSize(L * 32));

    /** Bytes of as many lanes as {@link #SPECIES} has floats. */
    private static final VectorSpecies<Byte> BYTES =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8));

    private VectorPanelKernel() {}

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
        if (width == WIDTH && rows == PanelKernel.GROUP) {
            fourRows(x, xOff, xStride, active, from, to, w, wOff, y, yOff, yStride, add);
        } else if (width == WIDTH && rows == 1) {
            oneRow(x, xOff, active, from, to, w, wOff, y, yOff, add);
        } else {
            if (!add) {
                for (int r = 0; r < rows; r++) {
                    Arrays.fill(y, yOff + r * yStride, yOff + r * yStride + width, 0f);
                }
            }
            anyShape(x, xOff, xStride, rows, active, from, to, w, wOff, width, y, yOff, yStride);
        }
    }

    /** Four rows by a full panel: 16 accumulators, four weight vectors read once a column. */
    private static void fourRows(
            float[] x,
            int x0,
            int xs,
            int[] active,
            int from,
            int to,
            float[] w,
            int wOff,
            float[] y,
            int y0,
            int ys,
            boolean add) {
        FloatVector zero = FloatVector.zero(SPECIES);
        int x1 = x0 + xs;
        int x2 = x1 + xs;
        int x3 = x2 + xs;
        int y1 = y0 + ys;
        int y2 = y1 + ys;
        int y3 = y2 + ys;
        FloatVector a00 = add ? FloatVector.fromArray(SPECIES, y, y0) : zero;
        FloatVector a01 = add ? FloatVector.fromArray(SPECIES, y, y0 + L) : zero;
        FloatVector a02 = add ? FloatVector.fromArray(SPECIES, y, y0 + 2 * L) : zero;
        FloatVector a03 = add ? FloatVector.fromArray(SPECIES, y, y0 + 3 * L) : zero;
        FloatVector a10 = add ? FloatVector.fromArray(SPECIES, y, y1) : zero;
        FloatVector a11 = add ? FloatVector.fromArray(SPECIES, y, y1 + L) : zero;
        FloatVector a12 = add ? FloatVector.fromArray(SPECIES, y, y1 + 2 * L) : zero;
        FloatVector a13 = add ? FloatVector.fromArray(SPECIES, y, y1 + 3 * L) : zero;
        FloatVector a20 = add ? FloatVector.fromArray(SPECIES, y, y2) : zero;
        FloatVector a21 = add ? FloatVector.fromArray(SPECIES, y, y2 + L) : zero;
        FloatVector a22 = add ? FloatVector.fromArray(SPECIES, y, y2 + 2 * L) : zero;
        FloatVector a23 = add ? FloatVector.fromArray(SPECIES, y, y2 + 3 * L) : zero;
        FloatVector a30 = add ? FloatVector.fromArray(SPECIES, y, y3) : zero;
        FloatVector a31 = add ? FloatVector.fromArray(SPECIES, y, y3 + L) : zero;
        FloatVector a32 = add ? FloatVector.fromArray(SPECIES, y, y3 + 2 * L) : zero;
        FloatVector a33 = add ? FloatVector.fromArray(SPECIES, y, y3 + 3 * L) : zero;
        for (int i = from; i < to; i++) {
            int j = active[i];
            float v0 = x[x0 + j];
            float v1 = x[x1 + j];
            float v2 = x[x2 + j];
            float v3 = x[x3 + j];
            int o = wOff + j * WIDTH;
            FloatVector w0 = FloatVector.fromArray(SPECIES, w, o);
            FloatVector w1 = FloatVector.fromArray(SPECIES, w, o + L);
            FloatVector w2 = FloatVector.fromArray(SPECIES, w, o + 2 * L);
            FloatVector w3 = FloatVector.fromArray(SPECIES, w, o + 3 * L);
            FloatVector b = FloatVector.broadcast(SPECIES, v0);
            a00 = w0.fma(b, a00);
            a01 = w1.fma(b, a01);
            a02 = w2.fma(b, a02);
            a03 = w3.fma(b, a03);
            b = FloatVector.broadcast(SPECIES, v1);
            a10 = w0.fma(b, a10);
            a11 = w1.fma(b, a11);
            a12 = w2.fma(b, a12);
            a13 = w3.fma(b, a13);
            b = FloatVector.broadcast(SPECIES, v2);
            a20 = w0.fma(b, a20);
            a21 = w1.fma(b, a21);
            a22 = w2.fma(b, a22);
            a23 = w3.fma(b, a23);
            b = FloatVector.broadcast(SPECIES, v3);
            a30 = w0.fma(b, a30);
            a31 = w1.fma(b, a31);
            a32 = w2.fma(b, a32);
            a33 = w3.fma(b, a33);
        }
        a00.intoArray(y, y0);
        a01.intoArray(y, y0 + L);
        a02.intoArray(y, y0 + 2 * L);
        a03.intoArray(y, y0 + 3 * L);
        a10.intoArray(y, y1);
        a11.intoArray(y, y1 + L);
        a12.intoArray(y, y1 + 2 * L);
        a13.intoArray(y, y1 + 3 * L);
        a20.intoArray(y, y2);
        a21.intoArray(y, y2 + L);
        a22.intoArray(y, y2 + 2 * L);
        a23.intoArray(y, y2 + 3 * L);
        a30.intoArray(y, y3);
        a31.intoArray(y, y3 + L);
        a32.intoArray(y, y3 + 2 * L);
        a33.intoArray(y, y3 + 3 * L);
    }

    /** One row by a full panel (batch-1 generation): four accumulators. */
    private static void oneRow(
            float[] x,
            int x0,
            int[] active,
            int from,
            int to,
            float[] w,
            int wOff,
            float[] y,
            int y0,
            boolean add) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector a0 = add ? FloatVector.fromArray(SPECIES, y, y0) : zero;
        FloatVector a1 = add ? FloatVector.fromArray(SPECIES, y, y0 + L) : zero;
        FloatVector a2 = add ? FloatVector.fromArray(SPECIES, y, y0 + 2 * L) : zero;
        FloatVector a3 = add ? FloatVector.fromArray(SPECIES, y, y0 + 3 * L) : zero;
        for (int i = from; i < to; i++) {
            int j = active[i];
            float v = x[x0 + j];
            int o = wOff + j * WIDTH;
            FloatVector b = FloatVector.broadcast(SPECIES, v);
            a0 = FloatVector.fromArray(SPECIES, w, o).fma(b, a0);
            a1 = FloatVector.fromArray(SPECIES, w, o + L).fma(b, a1);
            a2 = FloatVector.fromArray(SPECIES, w, o + 2 * L).fma(b, a2);
            a3 = FloatVector.fromArray(SPECIES, w, o + 3 * L).fma(b, a3);
        }
        a0.intoArray(y, y0);
        a1.intoArray(y, y0 + L);
        a2.intoArray(y, y0 + 2 * L);
        a3.intoArray(y, y0 + 3 * L);
    }

    /** Any rows and width (the last panel of a matrix, the last rows of a batch): row by row. */
    private static void anyShape(
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
            int yStride) {
        int vectors = width / L * L;
        for (int i = from; i < to; i++) {
            int j = active[i];
            int wj = wOff + j * width;
            for (int r = 0; r < rows; r++) {
                float a = x[xOff + r * xStride + j];
                FloatVector b = FloatVector.broadcast(SPECIES, a);
                int yr = yOff + r * yStride;
                int o = 0;
                for (; o < vectors; o += L) {
                    FloatVector.fromArray(SPECIES, w, wj + o)
                            .fma(b, FloatVector.fromArray(SPECIES, y, yr + o))
                            .intoArray(y, yr + o);
                }
                for (; o < width; o++) {
                    y[yr + o] = Math.fma(w[wj + o], a, y[yr + o]);
                }
            }
        }
    }

    /** {@code out[outOff + i] = q[off + i]} as floats. */
    static void bytesToFloats(byte[] q, int off, float[] out, int outOff, int n) {
        int i = 0;
        int bound = SPECIES.loopBound(n);
        for (; i < bound; i += L) {
            bytes(q, off + i).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = q[off + i];
        }
    }

    /** Shorts of as many lanes as {@link #SPECIES} has floats. */
    private static final VectorSpecies<Short> SHORTS =
            VectorSpecies.of(short.class, VectorShape.forBitSize(L * 16));

    /** 2^112: moves a half's exponent (bias 15) to a float's (bias 127). */
    private static final float HALF_TO_FLOAT_SCALE = 0x1p112f;

    /**
     * {@code out[outOff + i] = half(q[off + i])} as floats, exactly: the half's exponent and
     * mantissa bits shifted into a float's place and scaled by 2^112 (which also makes its
     * subnormals normal floats), then its sign. Infinities and NaN, which no weight holds, come out
     * as large finite numbers.
     */
    static void halvesToFloats(short[] q, int off, float[] out, int outOff, int n) {
        int i = 0;
        int bound = SPECIES.loopBound(n);
        for (; i < bound; i += L) {
            halves(q, off + i).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = Half.toFloat(q[off + i]);
        }
    }

    /** A vector of halves from {@code q[at]} as floats (see {@link #halvesToFloats}). */
    private static FloatVector halves(short[] q, int at) {
        IntVector bits =
                (IntVector)
                        ShortVector.fromArray(SHORTS, q, at)
                                .convertShape(VectorOperators.S2I, INTS, 0);
        IntVector magnitude = bits.and(0x7fff).lanewise(VectorOperators.LSHL, 13);
        IntVector sign = bits.and(0x8000).lanewise(VectorOperators.LSHL, 16);
        return magnitude
                .reinterpretAsFloats()
                .mul(HALF_TO_FLOAT_SCALE)
                .reinterpretAsInts()
                .or(sign)
                .reinterpretAsFloats();
    }

    /**
     * One row by a full panel of fp16 weights, {@code y[0:WIDTH] = sum_j x[j] w[j]}: the halves are
     * widened in registers, so a token reads half the bytes of fp32 weights and writes no decoded
     * copy (batch-1 generation is bound by memory bandwidth). The same sums, in the same order, as
     * decoding first.
     */
    static void oneRowHalves(
            float[] x,
            int x0,
            int[] active,
            int from,
            int to,
            short[] w,
            int wOff,
            float[] y,
            int y0) {
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int i = from; i < to; i++) {
            int j = active[i];
            FloatVector b = FloatVector.broadcast(SPECIES, x[x0 + j]);
            int o = wOff + j * WIDTH;
            a0 = halves(w, o).fma(b, a0);
            a1 = halves(w, o + L).fma(b, a1);
            a2 = halves(w, o + 2 * L).fma(b, a2);
            a3 = halves(w, o + 3 * L).fma(b, a3);
        }
        a0.intoArray(y, y0);
        a1.intoArray(y, y0 + L);
        a2.intoArray(y, y0 + 2 * L);
        a3.intoArray(y, y0 + 3 * L);
    }

    /**
     * One row by a full panel of int8 weights, {@code y[0:WIDTH] = sum_j x[j] q[j]} (the row scales
     * come after): the bytes are widened in registers, a quarter of fp32's reads. The same sums, in
     * the same order, as decoding first.
     */
    static void oneRowBytes(
            float[] x,
            int x0,
            int[] active,
            int from,
            int to,
            byte[] q,
            int qOff,
            float[] y,
            int y0) {
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int i = from; i < to; i++) {
            int j = active[i];
            FloatVector b = FloatVector.broadcast(SPECIES, x[x0 + j]);
            int o = qOff + j * WIDTH;
            a0 = bytes(q, o).fma(b, a0);
            a1 = bytes(q, o + L).fma(b, a1);
            a2 = bytes(q, o + 2 * L).fma(b, a2);
            a3 = bytes(q, o + 3 * L).fma(b, a3);
        }
        a0.intoArray(y, y0);
        a1.intoArray(y, y0 + L);
        a2.intoArray(y, y0 + 2 * L);
        a3.intoArray(y, y0 + 3 * L);
    }

    /** A vector of signed bytes from {@code q[at]} as floats. */
    private static FloatVector bytes(byte[] q, int at) {
        return (FloatVector)
                ByteVector.fromArray(BYTES, q, at).convertShape(VectorOperators.B2F, SPECIES, 0);
    }

    static String species() {
        return SPECIES.toString();
    }
}
