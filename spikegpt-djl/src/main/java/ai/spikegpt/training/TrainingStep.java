package ai.spikegpt.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.TrainingListener.BatchData;
import ai.spikegpt.nn.SegmentedBackward;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DJL's {@code EasyTrain.trainBatch} (forward, loss, backward, then the listeners' {@code
 * onTrainingBatch}), with the backward pass run by a {@link SegmentedBackward}: the LIF and WKV
 * then use their hand-written gradients instead of differentiable scans: the same gradients, with
 * no scan graph to build (README, "Speed"). Call {@code trainer.step()} after it, as after {@code
 * EasyTrain.trainBatch}. Models without LIF or WKV are trained exactly as by EasyTrain.
 */
public final class TrainingStep {

    private TrainingStep() {}

    /**
     * Computes the gradients of one batch on a single device.
     *
     * @param trainer the trainer
     * @param batch the batch
     */
    public static void trainBatch(Trainer trainer, Batch batch) {
        if (trainer.getDevices().length != 1) {
            throw new IllegalArgumentException(
                    "TrainingStep runs on one device; use EasyTrain.trainBatch for several");
        }
        BatchData batchData =
                new BatchData(batch, new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
        NDList data = batch.getData();
        NDList labels = batch.getLabels();
        try (GradientCollector collector = trainer.newGradientCollector();
                SegmentedBackward tape = SegmentedBackward.record()) {
            NDList predictions = trainer.forward(data, labels);
            long time = System.nanoTime();
            NDArray loss = trainer.getLoss().evaluate(labels, predictions);
            tape.backward(loss);
            trainer.addMetric("backward", time);
            batchData.getLabels().put(labels.get(0).getDevice(), labels);
            batchData.getPredictions().put(predictions.get(0).getDevice(), predictions);
        }
        trainer.notifyListeners(listener -> listener.onTrainingBatch(trainer, batchData));
    }
}
