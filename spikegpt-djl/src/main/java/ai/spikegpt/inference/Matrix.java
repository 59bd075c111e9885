package ai.spikegpt.inference;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * A bias-free Linear's weight {@code W [out, in]} for {@code y = W x}, stored for {@link
 * PanelKernel}: transposed and cut into panels of {@link PanelKernel#WIDTH} output columns, each
 * panel's {@code [in, width]} block contiguous, so that a product streams each panel from memory
 * front to back (as a BLAS packs its operands). The rows of x are taken {@link PanelKernel#GROUP}
 * at a time against a panel with the sums in registers; a large product is cut into tasks by rows
 * and by panels for the common fork-join pool. Every output is summed over the inputs in the same
 * order whatever the cut, so the results do not depend on the batch, the threads or the sparsity.
 */
abstract class Matrix {

    /** Rows of one task: a block of x that stays in the cache while the panels stream by. */
    private static final int ROW_CHUNK = 64;

    /** Input columns decoded at a time by the formats that are not stored as floats. */
    static final int DECODE_CHUNK = 64;

    /** Below this many multiply-accumulates a product runs on the calling thread alone. */
    private static final long PARALLEL_WORK = 1 << 18;

    static final int PANEL = PanelKernel.WIDTH;

    final int out;
    final int in;
    private final int panels;
    private final int[] allColumns;

    Matrix(int out, int in) {
        this.out = out;
        this.in = in;
        this.panels = (out + PANEL - 1) / PANEL;
        this.allColumns = java.util.stream.IntStream.range(0, in).toArray();
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
                return new Fp16Matrix(w, out, in);
            case INT8:
                return new Int8Matrix(w, out, in);
            default:
                return new Fp32Matrix(w, out, in);
        }
    }

    /** Where {@code W[o, j]} goes in the packed layout. */
    final int packedIndex(int o, int j) {
        int panel = o / PANEL;
        return panel * PANEL * in + j * width(panel) + o - panel * PANEL;
    }

    /** The columns of a panel (the last one may be narrower). */
    final int width(int panel) {
        return Math.min(PANEL, out - panel * PANEL);
    }

    /**
     * Computes {@code y[r] = W x[r]} for every row r.
     *
     * @param x the inputs {@code [rows, in]}
     * @param rows the number of rows
     * @param y receives the outputs {@code [rows, out]} (overwritten)
     * @param sparse whether to skip inputs that are zero (the result is the same)
     * @param counter counts the multiply-accumulates, or null
     */
    final void multiply(float[] x, int rows, float[] y, boolean sparse, MacCounter counter) {
        long work = (long) rows * in * out;
        int rowTasks = (rows + ROW_CHUNK - 1) / ROW_CHUNK;
        // enough tasks for every thread twice over: by rows for a batch, by panels for one row
        int threads = ForkJoinPool.getCommonPoolParallelism() + 1;
        int panelTasks =
                work < PARALLEL_WORK
                        ? 1
                        : Math.min(panels, Math.max(1, (2 * threads + rowTasks - 1) / rowTasks));
        // the columns each group of rows needs, listed once for all panels: by each task for its
        // rows when tasks split by rows alone, before the tasks otherwise
        int groups = (rows + PanelKernel.GROUP - 1) / PanelKernel.GROUP;
        int[][] active = new int[groups][];
        int[] counts = new int[groups];
        boolean listInTasks = panelTasks == 1;
        long listed = listInTasks ? 0 : listColumns(x, 0, rows, sparse, active, counts);
        IntStream each = IntStream.range(0, rowTasks * panelTasks);
        if (work >= PARALLEL_WORK) {
            each = each.parallel();
        }
        long skipped =
                listed
                        + each.mapToLong(
                                        t ->
                                                task(
                                                        x,
                                                        rows,
                                                        y,
                                                        sparse,
                                                        active,
                                                        counts,
                                                        t,
                                                        panelTasks,
                                                        listInTasks))
                                .sum();
        if (counter != null) {
            counter.add(work, skipped * out);
        }
    }

    /**
     * Lists the columns of the groups of rows in {@code [r0, r1)} (all of them unless sparse);
     * returns the inputs left out.
     */
    private long listColumns(
            float[] x, int r0, int r1, boolean sparse, int[][] active, int[] counts) {
        long skipped = 0;
        for (int r = r0; r < r1; r += PanelKernel.GROUP) {
            int g = r / PanelKernel.GROUP;
            int group = Math.min(PanelKernel.GROUP, r1 - r);
            if (sparse) {
                active[g] = new int[in];
                counts[g] = PanelKernel.activeColumns(x, r * in, in, group, in, active[g]);
                skipped += (long) (in - counts[g]) * group;
            } else {
                active[g] = allColumns;
                counts[g] = in;
            }
        }
        return skipped;
    }

    /**
     * One task: a chunk of rows against a range of panels. Returns the inputs it left out, if it
     * listed its rows' columns.
     */
    private long task(
            float[] x,
            int rows,
            float[] y,
            boolean sparse,
            int[][] all,
            int[] allCounts,
            int task,
            int splits,
            boolean list) {
        int r0 = task / splits * ROW_CHUNK;
        int r1 = Math.min(rows, r0 + ROW_CHUNK);
        int split = task % splits;
        long skipped = list ? listColumns(x, r0, r1, sparse, all, allCounts) : 0;
        int g0 = r0 / PanelKernel.GROUP;
        int groups = (r1 - r0 + PanelKernel.GROUP - 1) / PanelKernel.GROUP;
        int[][] active = Arrays.copyOfRange(all, g0, g0 + groups);
        int[] counts = Arrays.copyOfRange(allCounts, g0, g0 + groups);
        int p1 = (int) ((long) panels * (split + 1) / splits);
        for (int p = (int) ((long) panels * split / splits); p < p1; p++) {
            int o = p * PANEL;
            if (packed() != null) {
                for (int g = 0; g < groups; g++) {
                    int r = r0 + g * PanelKernel.GROUP;
                    PanelKernel.accumulate(
                            x,
                            r * in,
                            in,
                            Math.min(PanelKernel.GROUP, r1 - r),
                            active[g],
                            0,
                            counts[g],
                            packed(),
                            packedIndex(o, 0),
                            width(p),
                            y,
                            r * out + o,
                            out,
                            false);
                }
            } else if (r1 - r0 > 1
                    || !oneRowInPlace(x, r0 * in, active[0], counts[0], p, y, r0 * out + o)) {
                decodedPanel(x, r0, r1, p, active, counts, y);
            }
            finish(y, r0, r1, o, width(p));
        }
        return skipped;
    }

    /** A panel of a format that is decoded {@link #DECODE_CHUNK} input columns at a time. */
    private void decodedPanel(
            float[] x, int r0, int r1, int p, int[][] active, int[] counts, float[] y) {
        float[] scratch = new float[DECODE_CHUNK * PANEL];
        int o = p * PANEL;
        int width = width(p);
        int[] from = new int[active.length];
        int[] to = new int[active.length];
        boolean add = false;
        for (int j0 = 0; j0 < in; j0 += DECODE_CHUNK) {
            int end = Math.min(in, j0 + DECODE_CHUNK);
            boolean any = j0 + DECODE_CHUNK >= in; // the last chunk runs at least to zero y
            for (int g = 0; g < active.length; g++) {
                from[g] = to[g];
                while (to[g] < counts[g] && active[g][to[g]] < end) {
                    to[g]++;
                }
                any |= to[g] > from[g];
            }
            if (!any) {
                continue; // every input of the chunk is silent: not even decoded
            }
            decode(p, j0, end - j0, scratch);
            for (int g = 0; g < active.length; g++) {
                int r = r0 + g * PanelKernel.GROUP;
                // the scratch holds rows j0.. of the panel: column j's weights at (j - j0) * width
                PanelKernel.accumulate(
                        x,
                        r * in,
                        in,
                        Math.min(PanelKernel.GROUP, r1 - r),
                        active[g],
                        from[g],
                        to[g],
                        scratch,
                        -j0 * width,
                        width,
                        y,
                        r * out + o,
                        out,
                        add);
            }
            add = true;
        }
    }

    /** The packed fp32 weights, or null for a format that is decoded a chunk at a time. */
    abstract float[] packed();

    /** Decodes input columns {@code j0 .. j0+n} of panel {@code p} into the scratch, packed. */
    abstract void decode(int p, int j0, int n, float[] scratch);

    /**
     * One row against panel p straight from the stored weights, without decoding them first, if the
     * format has such a kernel (the sums overwrite {@code y}).
     *
     * @return false if it has none: decode
     */
    boolean oneRowInPlace(
            float[] x, int xOff, int[] active, int count, int p, float[] y, int yOff) {
        return false;
    }

    /** Applies per-output scales to finished sums, if the format has them. */
    void finish(float[] y, int r0, int r1, int o, int width) {}
}
