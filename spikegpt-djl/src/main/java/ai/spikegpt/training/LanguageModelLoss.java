package ai.spikegpt.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import ai.spikegpt.nn.Tensors;

/**
 * Next-token cross-entropy, mean over all {@code B x T} positions, with SpikeGPT's optional
 * "L2Wrap" regulariser.
 *
 * <p>L2Wrap (from RWKV) leaves the loss value unchanged and only adds to the gradient of the
 * logits, at each position's largest logit:
 *
 * <pre>
 *   dL/dlogits[b, t, argmax] += 1e-4 / (B T) * max_v logits[b, t, v]
 * </pre>
 *
 * which keeps logits from drifting upwards. It is written as {@code p - stop(p)} with {@code p =
 * sum(coef * logits[argmax])}: zero in value, the wanted term in gradient. {@code B T} comes from
 * the 3-D logits, as in the original.
 *
 * <p>Input: predictions {@code NDList(logits [B, T, V])}, labels {@code NDList(targets [B, T])}.
 */
public final class LanguageModelLoss extends Loss {

    /** The original's L2Wrap factor. */
    public static final float L2WRAP_FACTOR = 1e-4f;

    private final boolean l2wrap;
    private volatile float lastValue = Float.NaN;
    private final SoftmaxCrossEntropyLoss crossEntropy =
            new SoftmaxCrossEntropyLoss("ce", 1, -1, true, true);

    /**
     * @param l2wrap whether to add the L2Wrap gradient term (the original does)
     */
    public LanguageModelLoss(boolean l2wrap) {
        super(l2wrap ? "lm_loss_l2wrap" : "lm_loss");
        this.l2wrap = l2wrap;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logits = predictions.head();
        NDArray targets = labels.head();
        Shape shape = logits.getShape();
        if (shape.dimension() != 3) {
            throw new IllegalArgumentException(
                    "expected logits [batch, time, vocab], got " + shape);
        }
        if (!targets.getShape().equals(shape.slice(0, 2))) {
            throw new IllegalArgumentException(
                    "targets " + targets.getShape() + " do not match logits " + shape);
        }
        long rows = shape.get(0) * shape.get(1);
        NDArray flat = logits.reshape(rows, shape.get(2));
        NDArray ids = targets.reshape(rows).toType(DataType.INT64, true);
        NDArray loss = crossEntropy.evaluate(new NDList(ids), new NDList(flat));
        lastValue = loss.getFloat();
        if (!l2wrap) {
            return loss;
        }
        NDArray fixed = flat.stopGradient();
        NDArray best = fixed.argMax(1);
        NDArray coef =
                fixed.max(new int[] {1})
                        .mul(Tensors.scalar(logits.getManager(), L2WRAP_FACTOR / rows));
        NDArray picked = flat.get(new NDIndex().addAllDim().addPickDim(best)).reshape(rows);
        NDArray penalty = picked.mul(coef).sum();
        return loss.add(penalty.sub(penalty.stopGradient()));
    }

    /**
     * Returns the value of the last evaluated loss (the L2Wrap term adds nothing to the value), for
     * logging without recomputing it.
     *
     * @return the mean cross-entropy of the last batch, nats per token
     */
    public float getLastValue() {
        return lastValue;
    }

    /**
     * @return whether the L2Wrap term is on
     */
    public boolean isL2Wrap() {
        return l2wrap;
    }
}
