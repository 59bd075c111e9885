package ai.spikegpt.training;

import ai.djl.Device;
import ai.djl.TrainingDivergedException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.loss.Loss;
import java.util.Locale;
import java.util.Map;

/**
 * Stops training at the first batch whose loss is NaN or infinite, before the optimizer applies its
 * gradients: once a weight is NaN every later step, evaluation and saved model is NaN too. Register
 * it first, so the other listeners never see the diverged batch.
 *
 * <p>The loss is recomputed from the batch's predictions and labels, which costs little for a
 * classifier's {@code [B, classes]} logits; DJL's own divergence check reads the loss accumulator,
 * which only sees NaN, and only after the listeners that run before it.
 */
public final class DivergenceCheck extends TrainingListenerAdapter {

    private long step;

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        step++;
        Loss loss = trainer.getLoss();
        for (Map.Entry<Device, NDList> predictions : batchData.getPredictions().entrySet()) {
            NDList labels = batchData.getLabels().get(predictions.getKey());
            float value;
            try (NDArray batchLoss = loss.evaluate(labels, predictions.getValue())) {
                value = batchLoss.getFloat();
            }
            if (!Float.isFinite(value)) {
                throw new TrainingDivergedException(
                        String.format(
                                Locale.ROOT,
                                "training diverged at step %d: the loss is %s",
                                step,
                                value));
            }
        }
    }

    /**
     * @return the number of batches checked
     */
    public long getStep() {
        return step;
    }
}
