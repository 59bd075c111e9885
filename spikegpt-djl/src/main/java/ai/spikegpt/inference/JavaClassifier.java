package ai.spikegpt.inference;

import ai.spikegpt.model.SpikeGptConfig;

/**
 * {@code SpikeGptClassifier}'s inference in pure Java: the mean of the {@code ln_out} output over
 * each text's real tokens, then the classification head, {@code logits = W mean + b}. A batch is
 * padded on the right to its longest text and read in chunks of the chunk length (the context
 * length by default) with the state carried, as the DJL classifier does; padding is on the right
 * and the model is causal, so it never changes a real position.
 */
public final class JavaClassifier {

    private final JavaSpikeGpt model;
    private final JavaWeights weights;
    private int chunkLength;

    /**
     * @param weights a classifier's weights ({@link JavaWeights#of(ai.spikegpt.model.
     *     SpikeGptClassifier, WeightFormat)})
     */
    public JavaClassifier(JavaWeights weights) {
        if (weights.classifierWeight == null) {
            throw new IllegalArgumentException("these weights have no classification head");
        }
        this.weights = weights;
        this.model = new JavaSpikeGpt(weights);
        this.chunkLength = weights.config.getContextLength();
    }

    /**
     * Classifies texts.
     *
     * @param texts the token ids of each text, each at least one token
     * @return the class logits {@code [texts, n_classes]}
     * @throws IllegalArgumentException for an empty text
     */
    public float[] logits(int[][] texts) {
        SpikeGptConfig config = weights.config;
        int batch = texts.length;
        int c = config.getEmbeddingSize();
        int length = 0;
        for (int[] t : texts) {
            if (t.length == 0) {
                throw new IllegalArgumentException(
                        "every text needs at least one token: one is empty");
            }
            length = Math.max(length, t.length);
        }
        JavaState state = JavaState.zeros(config, batch);
        float[] sum = new float[batch * c];
        for (int start = 0; start < length; start += chunkLength) {
            int steps = Math.min(chunkLength, length - start);
            int[] tokens = new int[batch * steps];
            for (int b = 0; b < batch; b++) {
                int n = Math.max(0, Math.min(steps, texts[b].length - start));
                if (n > 0) {
                    System.arraycopy(texts[b], start, tokens, b * steps, n);
                }
            }
            float[] h = model.hidden(tokens, batch, steps, state);
            for (int b = 0; b < batch; b++) {
                int real = Math.min(steps, texts[b].length - start);
                for (int t = 0; t < real; t++) {
                    int row = (b * steps + t) * c;
                    for (int i = 0; i < c; i++) {
                        sum[b * c + i] += h[row + i];
                    }
                }
            }
        }
        int classes = config.getClasses();
        float[] out = new float[batch * classes];
        for (int b = 0; b < batch; b++) {
            float count = texts[b].length;
            for (int k = 0; k < classes; k++) {
                float acc = 0f;
                for (int i = 0; i < c; i++) {
                    acc += sum[b * c + i] / count * weights.classifierWeight[k * c + i];
                }
                out[b * classes + k] = acc + weights.classifierBias[k];
            }
        }
        return out;
    }

    /**
     * Sets how many tokens are read at a time (by default the context length).
     *
     * @param tokens the chunk length, at least 1
     */
    public void setChunkLength(int tokens) {
        if (tokens < 1) {
            throw new IllegalArgumentException("the chunk length must be >= 1, got " + tokens);
        }
        chunkLength = tokens;
    }

    /**
     * @return the language model underneath (its MAC counter, sparse switch)
     */
    public JavaSpikeGpt getModel() {
        return model;
    }

    /**
     * @return the configuration
     */
    public SpikeGptConfig getConfig() {
        return weights.config;
    }
}
