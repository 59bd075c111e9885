package ai.spikegpt.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.spikegpt.ReferenceVectors;
import ai.spikegpt.io.ModelIO;
import ai.spikegpt.model.SpikeGptModel;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SpikingNeuron#potential}: the membrane {@code h[t]} that a neuron compares with its
 * threshold, recomputed outside the forward pass (for plots), by hand, against {@code spike} in
 * every LIF mode, and against the reference vectors' currents and spike maps.
 */
class NeuronPotentialTest {

    @Test
    void lifChargesLeaksAndResetsByHand() {
        LifNeuron lif = LifNeuron.builder().build(); // tau 2, threshold 1, hard reset to 0
        // h = v + (x - v)/2:  0.75 | 0.75 + (0.2 - 0.75)/2 = 0.475 | 0.475 + (2.4 - 0.475)/2 =
        // 1.4375 fire, v = 0 | 1.5 fire
        float[] h = lif.potential(new float[] {1.5f, 0.2f, 2.4f, 3.0f}, 1, 4, 1, null);
        assertArrayEquals(new float[] {0.75f, 0.475f, 1.4375f, 1.5f}, h, 1e-6f);
        // two neurons, a carried-in membrane: 0.5 + (1 - 0.5)/2 = 0.75;  -0.2 + (0 + 0.2)/2 = -0.1
        assertArrayEquals(
                new float[] {0.75f, -0.1f},
                lif.potential(new float[] {1f, 0f}, 1, 1, 2, new float[] {0.5f, -0.2f}),
                1e-7f);
        // soft reset keeps the excess: 1.5 fires, v = 0.5; then 0.5 + (0 - 0.5)/2 = 0.25
        LifNeuron soft = LifNeuron.builder().optResetMode(ResetMode.SOFT).build();
        assertArrayEquals(
                new float[] {1.5f, 0.25f},
                soft.potential(new float[] {3f, 0f}, 1, 2, 1, null),
                1e-7f);
        assertEquals(1f, lif.thresholdValue());
        assertThrows(
                IllegalArgumentException.class, () -> lif.potential(new float[3], 1, 2, 2, null));
        // a memoryless neuron's potential is its input
        HeavisideNeuron heaviside = new HeavisideNeuron(new ArcTanSurrogate(2f), 0.5f, false);
        assertArrayEquals(
                new float[] {0.3f, 0.7f},
                heaviside.potential(new float[] {0.3f, 0.7f}, 1, 2, 1, null));
        assertEquals(0.5f, heaviside.thresholdValue());
    }

    @Test
    void lifPotentialCrossesTheThresholdExactlyWhereSpikeFires() {
        List<LifNeuron> modes =
                List.of(
                        LifNeuron.builder().build(),
                        LifNeuron.builder()
                                .optResetMode(ResetMode.SOFT)
                                .optTau(3f)
                                .optThreshold(0.7f)
                                .build(),
                        LifNeuron.builder()
                                .optLearnableTau(true)
                                .optTau(2.5f)
                                .optLearnableThreshold(true)
                                .optThreshold(0.8f)
                                .optResetPotential(-0.3f)
                                .build());
        Random random = new Random(7);
        int batch = 3;
        int steps = 50;
        int width = 20;
        float[] x = new float[batch * steps * width];
        float[] v0 = new float[batch * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextGaussian() * 1.2 + 0.6);
        }
        for (int i = 0; i < v0.length; i++) {
            v0[i] = (float) random.nextGaussian() * 0.3f;
        }
        for (LifNeuron lif : modes) {
            try (NDManager manager = NDManager.newBaseManager()) {
                lif.initialize(manager, DataType.FLOAT32, new Shape(batch, steps, width));
                ParameterStore ps = new ParameterStore(manager, false);
                NDArray in = manager.create(x, new Shape(batch, steps, width));
                float[] spikes =
                        lif.spike(ps, in, manager.create(v0, new Shape(batch, width)), false)
                                .get(0)
                                .toFloatArray();
                float[] h = lif.potential(x, batch, steps, width, v0);
                float theta = lif.thresholdValue();
                int fired = 0;
                for (int i = 0; i < h.length; i++) {
                    assertEquals(
                            spikes[i] == 1f,
                            h[i] >= theta,
                            "mode " + lif.getResetMode() + " at " + i);
                    fired += (int) spikes[i];
                }
                assertTrue(fired > 100 && fired < h.length - 100, "both outcomes occur: " + fired);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "small"})
    void referenceCurrentsReproduceTheReferenceSpikeMaps(String name) throws IOException {
        ReferenceVectors v = ReferenceVectors.load(name);
        try (NDManager manager = NDManager.newBaseManager()) {
            SpikeGptModel model = ModelIO.loadLanguageModel(v.weightsFile(), null, manager);
            List<SpikingNeuron> neurons = model.neurons();
            long[] shape = v.expected.entry("spikes.0.lif1").shape();
            int batch = (int) shape[0];
            int steps = (int) shape[1];
            int width = (int) shape[2];
            int compared = 0;
            for (int i = 0; i < v.config.getLayers(); i++) {
                String[][] pairs = {{"att_out", "lif1"}, {"ffn_out", "lif2"}};
                for (int k = 0; k < 2; k++) {
                    String current = "act." + i + "." + pairs[k][0];
                    if (!v.has(current)) {
                        continue;
                    }
                    SpikingNeuron neuron = neurons.get(2 * i + k);
                    float[] h = neuron.potential(v.floats(current), batch, steps, width, null);
                    long[] map = v.expected.longs("spikes." + i + "." + pairs[k][1]);
                    for (int j = 0; j < h.length; j++) {
                        assertEquals(
                                map[j] == 1, h[j] >= neuron.thresholdValue(), current + " at " + j);
                    }
                    compared++;
                }
            }
            assertTrue(compared >= 2, "compared " + compared + " neuron layers");
        }
    }
}
