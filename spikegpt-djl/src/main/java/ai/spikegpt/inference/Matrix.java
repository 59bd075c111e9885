package ai.spikegpt.inference;

import java.util.stream.IntStream;

/**
 * A bias-free Linear's weight {@code W [out, in]} for {@code y = W x}, stored transposed ({@code
 * [in, out]}): the product is then a sum of weight rows scaled by the inputs, {@code y += x[j]
 * W^T[j]}, an axpy over contiguous memory that the JIT compiles to vector instructions, and an
 * input that is exactly zero (a silent neuron) is skipped with its whole row: the event-driven
 * product. The rows of a batch are taken in blocks, so every weight row is read from memory once a
 * block and reused from the cache.
 */
abstract class Matrix {

    /** Rows of x that share one pass over the weights. */
    private static final int BLOCK = 8;

    /** Below this many multiply-accumulates a product runs on the calling thread alone. */
    private static final long PARALLEL_WORK = 1 << 21;

    final int out;
    final int in;

    Matrix(int out, int in) {
        this.out = out;
        this.in = in;
    }

    /**
     * Stores a weight in a format.
     *
     * @param w the weight {@code [out, in]}, row-major
     * @param out the output size
     * @param in the input size
     * @param format the storage format
     * @return the matrix
     */
    static Matrix of(float[] w, int out, int in, WeightFormat format) {
        if (w.length != out * in) {
            throw new IllegalArgumentException(
                    "a [" + out + ", " + in + "] weight needs " + out * in + " values");
        }
        switch (format) {
            case FP16:
                return new Fp16(w, out, in);
            case INT8:
                return new Int8(w, out, in);
            default:
                return new Fp32(w, out, in);
        }
    }

    /**
     * Computes {@code y[r] = W x[r]} for every row r.
     *
     * @param x the inputs {@code [rows, in]}
     * @param rows the number of rows
     * @param y receives the outputs {@code [rows, out]} (overwritten)
     * @param sparse whether to skip zero inputs (the result is the same)
     * @param counter counts the multiply-accumulates, or null
     */
    final void multiply(float[] x, int rows, float[] y, boolean sparse, MacCounter counter) {
        int blocks = (rows + BLOCK - 1) / BLOCK;
        long work = (long) rows * in * out;
        long skipped;
        if (blocks > 1 && work >= PARALLEL_WORK) {
            skipped =
                    IntStream.range(0, blocks)
                            .parallel()
                            .mapToLong(b -> block(x, b * BLOCK, rows, y, sparse))
                            .sum();
        } else {
            skipped = 0;
            for (int b = 0; b < blocks; b++) {
                skipped += block(x, b * BLOCK, rows, y, sparse);
            }
        }
        if (counter != null) {
            counter.add(work, skipped * out);
        }
    }

    /** One block of rows; returns the number of inputs skipped. */
    private long block(float[] x, int r0, int rows, float[] y, boolean sparse) {
        int r1 = Math.min(rows, r0 + BLOCK);
        java.util.Arrays.fill(y, r0 * out, r1 * out, 0f);
        float[] row = scratch();
        long skipped = 0;
        for (int j = 0; j < in; j++) {
            float[] w = null;
            for (int r = r0; r < r1; r++) {
                float xj = x[r * in + j];
                if (sparse && xj == 0f) {
                    skipped++;
                    continue;
                }
                if (w == null) {
                    w = weightRow(j, row);
                }
                Axpy.axpy(xj, w, rowOffset(j, w), y, r * out, out);
            }
        }
        finish(y, r0, r1);
        return skipped;
    }

    /** A buffer for one decoded weight row, or null if rows are read in place. */
    abstract float[] scratch();

    /** Returns the array holding row j of {@code W^T} (decoded into the scratch if needed). */
    abstract float[] weightRow(int j, float[] scratch);

    /** Where row j starts in the array {@link #weightRow} returned. */
    abstract int rowOffset(int j, float[] w);

    /** Applies per-output scales to the finished rows, if the format has them. */
    void finish(float[] y, int r0, int r1) {}

    /** fp32: the rows are read in place. */
    private static final class Fp32 extends Matrix {
        private final float[] wt;

        Fp32(float[] w, int out, int in) {
            super(out, in);
            wt = new float[w.length];
            for (int o = 0; o < out; o++) {
                for (int j = 0; j < in; j++) {
                    wt[j * out + o] = w[o * in + j];
                }
            }
        }

        @Override
        float[] scratch() {
            return null;
        }

        @Override
        float[] weightRow(int j, float[] scratch) {
            return wt;
        }

        @Override
        int rowOffset(int j, float[] w) {
            return j * out;
        }
    }

    /** fp16: a row is decoded once per block of inputs. */
    private static final class Fp16 extends Matrix {
        private final short[] wt;

        Fp16(float[] w, int out, int in) {
            super(out, in);
            wt = new short[w.length];
            for (int o = 0; o < out; o++) {
                for (int j = 0; j < in; j++) {
                    wt[j * out + o] = Half.fromFloat(w[o * in + j]);
                }
            }
        }

        @Override
        float[] scratch() {
            return new float[out];
        }

        @Override
        float[] weightRow(int j, float[] scratch) {
            int base = j * out;
            for (int o = 0; o < out; o++) {
                scratch[o] = Half.toFloat(wt[base + o]);
            }
            return scratch;
        }

        @Override
        int rowOffset(int j, float[] w) {
            return 0;
        }
    }

    /** int8: {@code W[o, j] ~ scale[o] q[o, j]}; the scales are applied to the finished sums. */
    private static final class Int8 extends Matrix {
        private final byte[] qt;
        private final float[] scale;

        Int8(float[] w, int out, int in) {
            super(out, in);
            qt = new byte[w.length];
            scale = new float[out];
            for (int o = 0; o < out; o++) {
                float max = 0f;
                for (int j = 0; j < in; j++) {
                    max = Math.max(max, Math.abs(w[o * in + j]));
                }
                scale[o] = max / 127f;
                float inv = max == 0f ? 0f : 127f / max;
                for (int j = 0; j < in; j++) {
                    qt[j * out + o] = (byte) Math.round(w[o * in + j] * inv);
                }
            }
        }

        @Override
        float[] scratch() {
            return new float[out];
        }

        @Override
        float[] weightRow(int j, float[] scratch) {
            Axpy.bytesToFloats(qt, j * out, scratch, out);
            return scratch;
        }

        @Override
        int rowOffset(int j, float[] w) {
            return 0;
        }

        @Override
        void finish(float[] y, int r0, int r1) {
            for (int r = r0; r < r1; r++) {
                int base = r * out;
                for (int o = 0; o < out; o++) {
                    y[base + o] *= scale[o];
                }
            }
        }
    }
}
