package ai.spikegpt.inference;

import ai.spikegpt.model.SpikeGptConfig;

/**
 * SpikeGPT's forward pass in pure Java: {@code tokens [batch, steps]} from a caller-owned {@link
 * JavaState} to the {@code ln_out} output and the logits, the state updated in place. Per layer,
 * each matrix is one pass over its weight array for all positions at once (see {@link Matrix}), and
 * the recurrences (token shift, WKV, LIF) are loops over {@code float[]}: no native call at all.
 * One token at a time it is the recurrent form; a whole prompt at a time it is the parallel form;
 * both equal the DJL blocks' results (fp32: to about 1e-6).
 *
 * <p>Event-driven: with {@link #setSparse(boolean)} (the default), the channel mix's value product
 * leaves out its silent inputs, relu²'s zeros (SpikeGPT-B: its silent hidden neurons), with the
 * same result as the dense product; in a batch, an input column is left out where it is silent in a
 * whole group of rows. (The other products read layer-normed or gated values, which are not zero.)
 * {@link #getCounter()} tells how many multiply-accumulates that saved.
 *
 * <p>Not thread-safe for concurrent calls on one state; calls on separate states may run at once.
 */
public final class JavaSpikeGpt {

    private final JavaWeights weights;
    private final SpikeGptConfig config;
    private final JavaBlock[] blocks;
    private final MacCounter counter = new MacCounter();

    /**
     * Each calling thread's buffers, kept from one call to the next: a batch's worth of buffers
     * made anew for every call outlived the young generation and was copied, collection after
     * collection.
     */
    private final ThreadLocal<JavaBlock.Buffers> buffers = new ThreadLocal<>();

    private boolean sparse = true;
    private final JavaBlock.Product products =
            new JavaBlock.Product() {
                @Override
                public void apply(Matrix m, float[] x, int rows, float[] y) {
                    m.multiply(x, rows, y, false, counter);
                }

                @Override
                public void applyEventDriven(Matrix m, float[] x, int rows, float[] y) {
                    m.multiply(x, rows, y, sparse, counter);
                }
            };

    /**
     * @param weights the model's weights
     */
    public JavaSpikeGpt(JavaWeights weights) {
        this.weights = weights;
        this.config = weights.config;
        this.blocks = new JavaBlock[weights.layers.length];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = new JavaBlock(weights.layers[i], config, i);
        }
    }

    /**
     * Runs tokens and returns the {@code ln_out} output of every position.
     *
     * @param tokens the token ids {@code [batch, steps]}, row-major
     * @param batch the batch size (the state's)
     * @param steps the tokens per row
     * @param state the state before the tokens, updated to the state after them
     * @return the hidden states {@code [batch, steps, C]}
     * @throws IllegalArgumentException for ids outside the vocabulary or a state of another batch
     */
    public float[] hidden(int[] tokens, int batch, int steps, JavaState state) {
        if (tokens.length != batch * steps || steps < 1) {
            throw new IllegalArgumentException(
                    "expected " + batch + " x " + steps + " >= 1 token ids, got " + tokens.length);
        }
        if (state.batch != batch || state.layers.length != weights.layers.length) {
            throw new IllegalArgumentException(
                    "the state is for a batch of " + state.batch + ", the tokens for " + batch);
        }
        int c = config.getEmbeddingSize();
        int rows = batch * steps;
        float[] x = new float[rows * c];
        for (int r = 0; r < rows; r++) {
            int id = tokens[r];
            if (id < 0 || id >= config.getVocabSize()) {
                throw new IllegalArgumentException(
                        "token id "
                                + id
                                + " is outside the model's vocabulary [0, "
                                + config.getVocabSize()
                                + "): the tokenizer does not match this model");
            }
            System.arraycopy(weights.embedding, id * c, x, r * c, c);
        }
        if (config.isBinaryEmbedding()) {
            for (int i = 0; i < x.length; i++) {
                x[i] = x[i] - 0f >= 0f ? 1f : 0f;
            }
        }
        JavaBlock.Buffers buffers = this.buffers.get();
        if (buffers == null || !buffers.suit(rows)) {
            buffers = new JavaBlock.Buffers(rows, c, config.getFfnHiddenSize());
            this.buffers.set(buffers);
        }
        for (int i = 0; i < blocks.length; i++) {
            blocks[i].forward(x, batch, steps, state.layers[i], buffers, products);
        }
        float[] out = x;
        BatchRows.each(
                batch,
                (long) rows * c,
                (b0, b1) ->
                        Kernels.layerNorm(
                                out,
                                out,
                                b0 * steps,
                                b1 * steps,
                                c,
                                weights.lnOut,
                                config.getLayerNormEps()));
        return x;
    }

    /**
     * Runs tokens and returns the logits of the last position of every row: one generation step (or
     * a prompt).
     *
     * @param tokens the token ids {@code [batch, steps]}, row-major
     * @param batch the batch size
     * @param steps the tokens per row
     * @param state the state, updated in place
     * @return the logits {@code [batch, V]}
     */
    public float[] lastLogits(int[] tokens, int batch, int steps, JavaState state) {
        float[] h = hidden(tokens, batch, steps, state);
        int c = config.getEmbeddingSize();
        float[] last = new float[batch * c];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(h, ((b + 1) * steps - 1) * c, last, b * c, c);
        }
        return logits(last, batch);
    }

    /**
     * Applies the generation head.
     *
     * @param hidden hidden states {@code [rows, C]}
     * @param rows the number of rows
     * @return the logits {@code [rows, V]}
     */
    public float[] logits(float[] hidden, int rows) {
        if (weights.head == null) {
            throw new IllegalStateException("these weights have no generation head");
        }
        float[] out = new float[rows * config.getVocabSize()];
        weights.head.multiply(hidden, rows, out, false, counter);
        return out;
    }

    /**
     * Sets whether matrix products skip zero inputs (the default); the results are the same.
     *
     * @param sparse whether to skip
     */
    public void setSparse(boolean sparse) {
        this.sparse = sparse;
    }

    /**
     * @return the counter of multiply-accumulates (dense and skipped) since creation or reset
     */
    public MacCounter getCounter() {
        return counter;
    }

    /**
     * Whether this JVM runs the vector API's kernels (started with {@code --add-modules
     * jdk.incubator.vector}); without them the engine runs plain loops, several times slower on
     * batches than the DJL blocks.
     *
     * @return true if the kernels are vectorised
     */
    public static boolean vectorized() {
        return PanelKernel.VECTOR;
    }

    /**
     * @return the matrix kernel this JVM runs (the vector API's or the scalar loop), for reports
     */
    public static String kernel() {
        return PanelKernel.kernel()
                + ", "
                + Runtime.getRuntime().availableProcessors()
                + " threads";
    }

    /**
     * @return the model's configuration
     */
    public SpikeGptConfig getConfig() {
        return config;
    }

    /**
     * @return the weights
     */
    public JavaWeights getWeights() {
        return weights;
    }
}
