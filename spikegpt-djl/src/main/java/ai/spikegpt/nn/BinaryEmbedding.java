package ai.spikegpt.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * SpikeGPT's binary embedding: a token embedding followed by a Heaviside step, so that the first
 * layer already receives spikes.
 *
 * <pre>
 *   e = W[token]                 W: [vocab, C]   (parameter "weight", originally emb.weight)
 *   x = H(e)                     H(z) = 1 if z >= 0 (also for -0.0), arctan surrogate backward
 * </pre>
 *
 * With {@code binary = false} it is a plain embedding (vanilla RWKV, and the original RNN script's
 * behaviour for vocabularies other than 77). Input {@code NDList(tokens [B, T])} (any integer
 * type), output {@code NDList(x [B, T, C])}. Token ids outside {@code [0, vocab)} are rejected with
 * a message naming the offending id.
 */
public final class BinaryEmbedding extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int vocabSize;
    private final int embeddingSize;
    private final boolean binary;
    private final Surrogate surrogate;
    private final Parameter weight;

    /**
     * @param vocabSize the number of tokens
     * @param embeddingSize the embedding size C
     * @param binary whether to binarise the embedding
     * @param surrogate the surrogate gradient of the binarisation
     */
    public BinaryEmbedding(int vocabSize, int embeddingSize, boolean binary, Surrogate surrogate) {
        super(VERSION);
        this.vocabSize = vocabSize;
        this.embeddingSize = embeddingSize;
        this.binary = binary;
        this.surrogate = surrogate;
        this.weight =
                addParameter(
                        Parameter.builder()
                                .setName("weight")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(vocabSize, embeddingSize))
                                .optInitializer(new NormalInitializer(1f))
                                .build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        return new NDList(embed(parameterStore, inputs.head(), training));
    }

    /**
     * Embeds token ids.
     *
     * @param parameterStore the parameter store
     * @param tokens token ids {@code [B, T]}
     * @param training whether to attach the surrogate gradient
     * @return the (binary) embeddings {@code [B, T, C]}
     */
    public NDArray embed(ParameterStore parameterStore, NDArray tokens, boolean training) {
        checkTokens(tokens, vocabSize);
        NDArray ids = tokens.toType(DataType.INT64, false);
        if (training) {
            ids = ids.duplicate(); // native-owned: the embedding's backward reads the ids
        }
        NDArray w = parameterStore.getValue(weight, tokens.getDevice(), training);
        NDArray e = Embedding.embedding(ids, w, SparseFormat.DENSE).singletonOrThrow();
        return binary ? HeavisideNeuron.heaviside(e, 0f, surrogate, training, null) : e;
    }

    /**
     * Checks that every id lies in {@code [0, vocabSize)}.
     *
     * @param tokens the token ids
     * @param vocabSize the vocabulary size
     * @throws IllegalArgumentException naming the first bad id
     */
    public static void checkTokens(NDArray tokens, int vocabSize) {
        if (!tokens.getDataType().isInteger()) {
            throw new IllegalArgumentException(
                    "token ids must be an integer array, got " + tokens.getDataType());
        }
        if (tokens.size() == 0) {
            throw new IllegalArgumentException(
                    "the token sequence is empty: give at least one token");
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (long id : tokens.toType(DataType.INT64, false).toLongArray()) {
            min = Math.min(min, id);
            max = Math.max(max, id);
        }
        if (min < 0 || max >= vocabSize) {
            long bad = min < 0 ? min : max;
            throw new IllegalArgumentException(
                    "token id "
                            + bad
                            + " is outside the model's vocabulary [0, "
                            + vocabSize
                            + "): the tokenizer does not match this model");
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].addAll(new Shape(embeddingSize))};
    }

    /**
     * @return the weight parameter {@code [vocab, C]}
     */
    public Parameter getWeight() {
        return weight;
    }

    /**
     * @return whether the embedding is binarised
     */
    public boolean isBinary() {
        return binary;
    }
}
