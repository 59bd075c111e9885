package ai.spikegpt.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.spikegpt.model.SpikeGptClassifier;
import java.util.List;

/**
 * A {@link JavaClassifier} as a DJL block, so that a {@code Predictor} (the zoo's translators, the
 * server, Spark) classifies on the Java engine: the same inputs as {@link SpikeGptClassifier},
 * {@code NDList(tokens [B, T], mask [B, T])} (or tokens alone), the same {@code NDList(logits [B,
 * n_classes])}. It has no parameters of its own (the weights are Java arrays) and does not train:
 * fine-tuning needs the DJL blocks.
 */
public final class JavaClassifierBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final JavaClassifier classifier;

    /**
     * @param classifier the Java engine's classifier
     */
    public JavaClassifierBlock(JavaClassifier classifier) {
        super(VERSION);
        this.classifier = classifier;
        inputNames = List.of("tokens", "mask");
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (training) {
            throw new UnsupportedOperationException(
                    "the Java engine does not train: load the model with the DJL blocks"
                            + " (the zoo argument inference=djl) to fine-tune it");
        }
        NDArray tokens = inputs.get(0);
        long[] ids = tokens.toType(DataType.INT64, false).toLongArray();
        int batch = Math.toIntExact(tokens.getShape().get(0));
        int steps = Math.toIntExact(tokens.getShape().get(1));
        float[] mask =
                inputs.size() > 1
                        ? inputs.get(1).toType(DataType.FLOAT32, false).toFloatArray()
                        : null;
        int[][] texts = new int[batch][];
        for (int b = 0; b < batch; b++) {
            int length = steps;
            if (mask != null) {
                // padding is at the end (SpikeGptClassifier.inputBatchifier)
                while (length > 1 && mask[b * steps + length - 1] == 0f) {
                    length--;
                }
            }
            texts[b] = new int[length];
            for (int t = 0; t < length; t++) {
                texts[b][t] = Math.toIntExact(ids[b * steps + t]);
            }
        }
        float[] logits = classifier.logits(texts);
        NDManager manager = tokens.getManager();
        return new NDList(manager.create(logits, new Shape(batch, logits.length / batch)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), classifier.getConfig().getClasses())};
    }

    /**
     * @return the Java engine's classifier underneath
     */
    public JavaClassifier getClassifier() {
        return classifier;
    }
}
