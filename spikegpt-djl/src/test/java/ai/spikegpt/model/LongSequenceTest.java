package ai.spikegpt.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A block's forward and backward at T = 1024, C = 256: the recurrences cost O(log T) native calls,
 * so this runs in seconds (the time is logged; speed targets live in {@code spikegpt bench}).
 */
class LongSequenceTest {

    private static final Logger LOG = LoggerFactory.getLogger(LongSequenceTest.class);

    @Test
    void blockForwardBackwardAtT1024() {
        SpikeGptConfig config =
                SpikeGptConfig.builder()
                        .setVocabSize(256)
                        .setEmbeddingSize(256)
                        .setLayers(1)
                        .optContextLength(1024)
                        .optDropout(0f)
                        .optInit("rwkv", 5f, 12f)
                        .build();
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            SpikeGptBlock block = new SpikeGptBlock(config, 0);
            Shape shape = new Shape(2, 1024, 256);
            block.initialize(manager, DataType.FLOAT32, shape);
            ParameterStore ps = new ParameterStore(manager, false);
            // a residual stream like the binary embedding's: 0/1 values
            NDArray x =
                    manager.randomUniform(0f, 1f, shape).gt(0.5f).toType(DataType.FLOAT32, false);
            long start = System.nanoTime();
            NDArray out;
            float[] rate = new float[1];
            try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                ActivationRecorder spikes =
                        (layer, name, value) -> {
                            if (name.startsWith("spk")) {
                                rate[0] += value.mean().getFloat() / 2;
                            }
                        };
                out = block.forward(ps, x, null, true, spikes).x();
                gc.backward(out.mul(out).sum());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            LOG.info(
                    "block forward+backward at B=2, T=1024, C=256: {} s",
                    String.format("%.2f", seconds));
            assertEquals(shape, out.getShape());
            int nonZero = 0;
            for (Parameter p : block.getParameters().values()) {
                float[] g = p.getArray().getGradient().toFloatArray();
                for (float v : g) {
                    assertTrue(Float.isFinite(v), p.getName() + " has a finite gradient");
                }
                double norm = 0;
                for (float v : g) {
                    norm += v * v;
                }
                if (norm > 0) {
                    nonZero++;
                }
            }
            assertTrue(nonZero >= 14, "gradients reach the parameters (" + nonZero + " non-zero)");
            assertTrue(rate[0] > 0.001f, "neurons fire (firing rate " + rate[0] + ")");
        }
    }
}
