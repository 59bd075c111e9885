package ai.spikegpt.inference;

import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.model.Variant;

/**
 * One SpikeGPT block of the Java engine over {@code [batch, steps]} positions: the time mix (token
 * shift, the K, V and R products, WKV, the output product, the LIF neuron) and the channel mix
 * (token shift, the key and receptance products, relu² or SpikeGPT-B's inner LIF, the value
 * product, the LIF neuron), each added to the residual stream. Between the products the
 * element-wise stages run on ranges of batch rows in parallel (the rows are independent); the
 * products are parallel inside {@link Matrix}.
 */
final class JavaBlock {

    /**
     * The buffers of a forward pass of up to {@code rows} positions, reused by every block (and by
     * the next passes of a similar size on the same thread).
     */
    static final class Buffers {
        final float[] a;
        final float[][] mixed;
        final float[] k;
        final float[] v;
        final float[] r;
        final float[] y;
        final float[] out;
        final float[] hidden;
        final int rows;

        Buffers(int rows, int width, int hiddenWidth) {
            this.rows = rows;
            a = new float[rows * width];
            mixed =
                    new float[][] {
                        new float[rows * width], new float[rows * width], new float[rows * width]
                    };
            k = new float[rows * width];
            v = new float[rows * width];
            r = new float[rows * width];
            y = new float[rows * width];
            out = new float[rows * width];
            hidden = new float[rows * hiddenWidth];
        }

        /** Whether a pass of this many rows should use these buffers: not too small, not 4x big. */
        boolean suit(int needed) {
            return needed <= rows && needed * 4 >= rows;
        }
    }

    private final JavaWeights.Layer w;
    private final SpikeGptConfig config;
    private final int index;

    JavaBlock(JavaWeights.Layer weights, SpikeGptConfig config, int index) {
        this.w = weights;
        this.config = config;
        this.index = index;
    }

    /**
     * Runs the block, the residual stream x updated in place.
     *
     * @param x the residual stream {@code [batch, steps, C]}
     * @param st the block's state fields {@code [field][batch * width]}, updated
     * @param buf the buffers, sized for the batch and steps
     * @param product the matrix products (with the engine's sparsity and counter)
     */
    void forward(float[] x, int batch, int steps, float[][] st, Buffers buf, Product product) {
        int c = config.getEmbeddingSize();
        int hid = config.getFfnHiddenSize();
        int rows = batch * steps;
        float eps = config.getLayerNormEps();
        float[][] mixed = buf.mixed;
        BatchRows.each(
                batch,
                rows * c,
                (b0, b1) -> {
                    int r0 = b0 * steps;
                    int r1 = b1 * steps;
                    if (w.ln0() != null) {
                        Kernels.layerNorm(x, x, r0, r1, c, w.ln0(), eps);
                    }
                    Kernels.layerNorm(x, buf.a, r0, r1, c, w.ln1(), eps);
                    Kernels.shift(
                            buf.a,
                            b0,
                            b1,
                            steps,
                            c,
                            st[0],
                            mixed,
                            w.attMixK(),
                            w.attMixV(),
                            w.attMixR());
                });
        product.apply(w.attKey(), mixed[0], rows, buf.k);
        product.apply(w.attValue(), mixed[1], rows, buf.v);
        product.apply(w.attReceptance(), mixed[2], rows, buf.r);
        BatchRows.each(
                batch,
                rows * c,
                (b0, b1) -> {
                    int from = b0 * steps * c;
                    int to = b1 * steps * c;
                    Kernels.sigmoid(buf.r, from, to);
                    Kernels.wkv(buf.k, buf.v, b0, b1, steps, c, w.decay(), w.first(), st, buf.y);
                    for (int j = from; j < to; j++) {
                        buf.y[j] = buf.r[j] * buf.y[j];
                    }
                });
        product.apply(w.attOutput(), buf.y, rows, buf.out);
        BatchRows.each(
                batch,
                rows * c,
                (b0, b1) -> {
                    addFired(buf.out, x, b0, b1, steps, st[5]);
                    Kernels.layerNorm(x, buf.a, b0 * steps, b1 * steps, c, w.ln2(), eps);
                    Kernels.shift(buf.a, b0, b1, steps, c, st[4], mixed, w.ffnMixK(), w.ffnMixR());
                });
        product.apply(w.ffnKey(), mixed[0], rows, buf.hidden);
        product.apply(w.ffnReceptance(), mixed[1], rows, buf.r);
        BatchRows.each(
                batch,
                rows * hid,
                (b0, b1) -> {
                    if (config.getVariant() == Variant.SPIKEGPT_B) {
                        Kernels.lif(buf.hidden, b0, b1, steps, hid, st[7], config);
                    } else {
                        for (int j = b0 * steps * hid; j < b1 * steps * hid; j++) {
                            float z = Math.max(buf.hidden[j], 0f);
                            buf.hidden[j] = z * z;
                        }
                    }
                    Kernels.sigmoid(buf.r, b0 * steps * c, b1 * steps * c);
                });
        // the one product whose inputs are often exactly zero (relu²'s zeros, SpikeGPT-B's spikes):
        // the others read layer-normed mixes and gated WKV outputs
        product.applyEventDriven(w.ffnValue(), buf.hidden, rows, buf.out);
        BatchRows.each(
                batch,
                rows * c,
                (b0, b1) -> {
                    for (int j = b0 * steps * c; j < b1 * steps * c; j++) {
                        buf.out[j] = buf.r[j] * buf.out[j];
                    }
                    addFired(buf.out, x, b0, b1, steps, st[6]);
                    int every = config.getRescaleEvery();
                    if (every > 0 && (index + 1) % every == 0) {
                        for (int j = b0 * steps * c; j < b1 * steps * c; j++) {
                            x[j] *= 0.5f;
                        }
                    }
                });
    }

    /** Scales a mix's output, passes it through the block's neuron and adds it to x. */
    private void addFired(float[] out, float[] x, int b0, int b1, int steps, float[] membrane) {
        int c = config.getEmbeddingSize();
        int from = b0 * steps * c;
        int to = b1 * steps * c;
        // the original RNN script's output scaling, 1 / 2^(layer / rescale_every), if set
        int every = config.getRescaleEvery();
        if (every > 0 && index / every > 0) {
            float s = (float) Math.pow(2, -(index / every));
            for (int j = from; j < to; j++) {
                out[j] *= s;
            }
        }
        Kernels.fire(out, b0, b1, steps, c, membrane, config);
        for (int j = from; j < to; j++) {
            x[j] += out[j];
        }
    }

    /** A matrix product {@code y = W x} for {@code rows} rows. */
    interface Product {
        /** A product over every input column. */
        void apply(Matrix m, float[] x, int rows, float[] y);

        /** A product that leaves out the silent input columns (if the engine is sparse). */
        void applyEventDriven(Matrix m, float[] x, int rows, float[] y);
    }
}
