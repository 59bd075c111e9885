package ai.spikegpt.spikes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.model.SpikeGptModel;
import ai.spikegpt.training.LanguageModelLoss;
import ai.spikegpt.training.PyTorchAdam;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link SpikeRateListener} in a DJL {@code Trainer}: it attaches when training begins, reports the
 * rates of the batches since the last report (equal to those a separate monitor counts for the same
 * training-mode forward pass), and detaches when training ends.
 */
class SpikeRateListenerTest {

    @Test
    void reportsTheRatesOfTheTrainedBatchesAndDetaches() {
        SpikeGptConfig config =
                SpikeGptConfig.builder()
                        .setVocabSize(20)
                        .setEmbeddingSize(16)
                        .setLayers(2)
                        .optDropout(0f)
                        .optInit("rwkv", 5f, 12f)
                        .build();
        Engine.getInstance().setRandomSeed(3);
        SpikeRateListener listener = new SpikeRateListener(2);
        SpikeGptModel block = new SpikeGptModel(config);
        try (Model model = Model.newInstance("listener-test")) {
            model.setBlock(block);
            DefaultTrainingConfig tc =
                    new DefaultTrainingConfig(new LanguageModelLoss(true))
                            .optOptimizer(PyTorchAdam.builder().build())
                            .addTrainingListeners(listener);
            List<NDArray> batches;
            try (Trainer trainer = model.newTrainer(tc)) {
                assertTrue(
                        block.getActivationRecorder() instanceof SpikeMonitor,
                        "attached when training begins");
                trainer.initialize(new Shape(2, 12));
                NDManager manager = trainer.getManager();
                batches =
                        List.of(
                                manager.randomInteger(0, 20, new Shape(2, 13), DataType.INT64),
                                manager.randomInteger(0, 20, new Shape(2, 13), DataType.INT64));
                // what the two training-mode forward passes will spike, counted by a separate
                // monitor
                // that is passed explicitly (it takes precedence over the attached one)
                SpikeMonitor expected = SpikeMonitor.builder(block).build();
                ParameterStore ps = new ParameterStore(manager, false);
                for (NDArray x : batches) {
                    try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                        block.forward(ps, x.get(new NDIndex(":, :-1")), null, true, expected);
                    }
                }
                assertTrue(listener.getLastRates().isEmpty(), "no report before the interval");
                for (NDArray x : batches) { // no step in between: the parameters stay the same
                    try (NDManager step =
                            manager.newSubManager()) { // closing a Batch closes its manager
                        NDArray tokens = x.duplicate();
                        tokens.attach(step);
                        try (Batch b =
                                new Batch(
                                        step,
                                        new NDList(tokens.get(new NDIndex(":, :-1"))),
                                        new NDList(tokens.get(new NDIndex(":, 1:"))),
                                        1,
                                        null,
                                        null,
                                        0,
                                        1)) {
                            EasyTrain.trainBatch(trainer, b);
                        }
                    }
                }
                Map<String, Double> rates = listener.getLastRates();
                assertEquals(expected.statistics().rates(), rates);
                assertEquals(
                        List.of("emb", "0.lif1", "0.lif2", "1.lif1", "1.lif2"),
                        List.copyOf(rates.keySet()));
                assertTrue(
                        rates.get("0.lif1") > 0 && rates.get("0.lif1") < 1,
                        "neurons fire: " + rates);
                assertEquals(2 * 2 * 12, listener.getLastStatistics().positions());
                assertThrows(UnsupportedOperationException.class, () -> rates.put("x", 0.0));
                trainer.step();
            }
            assertNull(block.getActivationRecorder(), "detached when training ends");
        }
        assertThrows(IllegalArgumentException.class, () -> new SpikeRateListener(-1));
    }

    @Test
    void findsTheModelInsideAClassifier() {
        SpikeGptConfig config =
                SpikeGptConfig.builder()
                        .setVocabSize(10)
                        .setEmbeddingSize(8)
                        .setLayers(1)
                        .optClasses(2)
                        .build();
        ai.spikegpt.model.SpikeGptClassifier classifier =
                new ai.spikegpt.model.SpikeGptClassifier(config);
        assertSame(classifier.getModel(), SpikeRateListener.spikeGptModel(classifier));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        SpikeRateListener.spikeGptModel(
                                ai.djl.nn.core.Linear.builder().setUnits(2).build()));
    }
}
