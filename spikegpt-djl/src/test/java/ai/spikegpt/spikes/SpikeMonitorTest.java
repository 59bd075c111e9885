package ai.spikegpt.spikes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.spikegpt.ReferenceFixture;
import ai.spikegpt.model.SpikeGptState;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The monitor against the reference vectors' exact spike maps ({@code spikes.{i}.lif1/.lif2}):
 * rates, never-firing neurons and the event streams are equal, as integer counts, to those computed
 * here from the maps and the weights; the monitor changes no logit; it accumulates, resets and
 * detaches.
 */
class SpikeMonitorTest {

    private static final class Fixture extends ReferenceFixture {
        final int batch;
        final int steps;
        final int width;
        final int layers;

        Fixture(String name) throws IOException {
            super(name);
            batch = (int) tokens.getShape().get(0);
            steps = (int) tokens.getShape().get(1);
            width = vectors.config.getEmbeddingSize();
            layers = vectors.config.getLayers();
        }

        float[] logits() {
            return model.forward(ps, tokens, null, false, null).logits().toFloatArray();
        }

        long[] spikes(int layer, String lif) {
            return vectors.expected.longs("spikes." + layer + "." + lif);
        }

        /** H(emb.weight[token]) from the weights file, in Java. */
        long[] embeddingBits() {
            float[] w = vectors.weights.floats("emb.weight");
            long[] ids = vectors.expected.longs("tokens");
            long[] bits = new long[ids.length * width];
            for (int p = 0; p < ids.length; p++) {
                for (int c = 0; c < width; c++) {
                    bits[p * width + c] = w[(int) ids[p] * width + c] >= 0f ? 1 : 0;
                }
            }
            return bits;
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "small"})
    void ratesEqualTheReferenceSpikeMapsExactly(String name) throws IOException {
        try (Fixture f = new Fixture(name);
                SpikeMonitor monitor = SpikeMonitor.attach(f.model)) {
            f.logits();
            SpikeStatistics stats = monitor.statistics();
            assertEquals((long) f.batch * f.steps, stats.positions());
            assertEquals(f.batch, stats.sequences());
            int checked = 0;
            for (int i = 0; i < f.layers; i++) {
                for (NeuronSite site : new NeuronSite[] {NeuronSite.LIF1, NeuronSite.LIF2}) {
                    long[] map = f.spikes(i, site.label());
                    FiringStats got = stats.firing(site, i);
                    assertSpikesMatch(map, f.width, got);
                    assertEquals(
                            got.rate(),
                            stats.rates().get(site.key(i)),
                            0.0,
                            site.key(i) + " in rates()");
                    checked++;
                }
            }
            assertEquals(2 * f.layers, checked);
            assertSpikesMatch(f.embeddingBits(), f.width, stats.firing(NeuronSite.EMBEDDING, -1));
            // the reference seeds give real activity: rates 7-14%, so the comparison is not vacuous
            double rate = stats.firing(NeuronSite.LIF1, 0).rate();
            assertTrue(rate > 0.02 && rate < 0.5, "layer-0 lif1 rate " + rate);
        }
    }

    /**
     * Count, rate and never-firing fraction of a site equal those of a 0/1 map [positions, width].
     */
    private static void assertSpikesMatch(long[] map, int width, FiringStats got) {
        long ones = 0;
        long[] perNeuron = new long[width];
        for (int i = 0; i < map.length; i++) {
            ones += map[i];
            perNeuron[i % width] += map[i];
        }
        int silent = 0;
        for (long c : perNeuron) {
            silent += c == 0 ? 1 : 0;
        }
        String what = got.key();
        assertEquals(ones, got.spikes(), what + " spikes");
        assertEquals(map.length / width, got.positions(), what + " positions");
        assertArrayEquals(perNeuron, got.spikesPerNeuron(), what + " spikes per neuron");
        assertEquals((double) ones / map.length, got.rate(), 0.0, what + " rate (exact)");
        assertEquals(
                silent / (double) width,
                got.neverFiringFraction(),
                0.0,
                what + " never-firing fraction");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "small"})
    void streamEventsAreTheEmbeddingBitsPlusEarlierSpikes(String name) throws IOException {
        try (Fixture f = new Fixture(name);
                SpikeMonitor monitor = SpikeMonitor.attach(f.model)) {
            f.logits();
            SpikeStatistics stats = monitor.statistics();
            long[] stream = f.embeddingBits(); // event counts per (b, t, c)
            for (int i = 0; i <= f.layers; i++) {
                StreamStats[] sites =
                        i < f.layers
                                ? new StreamStats[] {stats.attInput(i), stats.ffnInput(i)}
                                : new StreamStats[] {stats.headInput()};
                for (int k = 0; k < sites.length; k++) {
                    assertStream(stream, f.batch, f.steps, f.width, sites[k]);
                    if (i < f.layers) {
                        long[] s = f.spikes(i, k == 0 ? "lif1" : "lif2");
                        for (int j = 0; j < stream.length; j++) {
                            stream[j] += s[j];
                        }
                    }
                }
            }
        }
    }

    private static void assertStream(
            long[] stream, int batch, int steps, int width, StreamStats got) {
        long events = 0;
        long previous = 0;
        long active = 0;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                long e = 0;
                for (int c = 0; c < width; c++) {
                    long v = stream[(b * steps + t) * width + c];
                    e += v;
                    active += v > 0 ? 1 : 0;
                }
                events += e;
                if (t < steps - 1) {
                    previous += e; // the next token's previous-token slot
                }
            }
        }
        assertEquals(events, got.events(), got.name() + " events");
        assertEquals(previous, got.previousEvents(), got.name() + " previous-token events");
        assertEquals((long) batch * steps, got.positions(), got.name() + " positions");
        assertEquals(
                (long) batch * (steps - 1),
                got.previousPositions(),
                got.name() + " previous positions");
        assertEquals(
                active / ((double) batch * steps * width),
                got.activeFraction(),
                0.0,
                got.name() + " active");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "small"})
    void theMonitorChangesNoLogit(String name) throws IOException {
        try (Fixture f = new Fixture(name)) {
            float[] without = f.logits();
            SpikeMonitor monitor =
                    SpikeMonitor.builder(f.model).optTraceLayers(0, f.layers - 1).build().attach();
            float[] with = f.logits();
            monitor.detach();
            float[] after = f.logits();
            assertArrayEquals(without, with, "logits with the monitor attached (exact)");
            assertArrayEquals(without, after, "logits after detaching (exact)");
            assertEquals(1, monitor.statistics().forwards());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny"})
    void countsAccumulateResetAndStopWhenDetached(String name) throws IOException {
        try (Fixture f = new Fixture(name)) {
            SpikeMonitor monitor = SpikeMonitor.attach(f.model);
            assertSame(monitor, f.model.getActivationRecorder());
            f.logits();
            SpikeStatistics once = monitor.statistics();
            f.logits();
            SpikeStatistics twice = monitor.statistics();
            for (FiringStats a : once.firing()) {
                FiringStats b = twice.firing(a.site(), a.layer());
                assertEquals(2 * a.spikes(), b.spikes(), a.key());
                assertEquals(a.rate(), b.rate(), 0.0, a.key());
                assertEquals(a.neverFiringFraction(), b.neverFiringFraction(), 0.0, a.key());
            }
            assertEquals(2 * once.headInput().events(), twice.headInput().events());
            assertEquals(1, once.forwards(), "a snapshot does not change");
            monitor.reset();
            assertEquals(0, monitor.statistics().positions());
            monitor.close();
            assertNull(f.model.getActivationRecorder());
            assertFalse(monitor.isAttached());
            f.logits();
            assertEquals(0, monitor.statistics().positions(), "a detached monitor counts nothing");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny"})
    void tracesHoldTheFirstSequenceAndReproduceItsSpikes(String name) throws IOException {
        try (Fixture f = new Fixture(name)) {
            SpikeMonitor monitor =
                    SpikeMonitor.builder(f.model).optTraceLayers(1).optMaxTraceTokens(10).build();
            f.model.forward(f.ps, f.tokens, null, false, monitor); // as an explicit recorder
            f.model.forward(f.ps, f.tokens, null, false, monitor);
            SpikeTraces traces = monitor.traces();
            assertEquals(10, traces.tokens());
            assertEquals(java.util.List.of(1), traces.layers());
            for (NeuronSite site : new NeuronSite[] {NeuronSite.LIF1, NeuronSite.LIF2}) {
                long[] map = f.spikes(1, site.label());
                float[] spikes = traces.spikes(1, site);
                float[] h = traces.potential(1, site);
                float threshold = traces.threshold(1, site);
                for (int i = 0; i < 10 * f.width; i++) { // batch row 0 is first in the map
                    assertEquals(map[i], (long) spikes[i], site + " trace at " + i);
                    assertEquals(
                            map[i] == 1, h[i] >= threshold, site + " recomputed membrane at " + i);
                }
            }
            assertThrows(IllegalArgumentException.class, () -> traces.spikes(0, NeuronSite.LIF1));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> SpikeMonitor.builder(f.model).optTraceLayers(f.layers).build());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny"})
    void statefulForwardsCountTheRecurrentFormLikeTheParallelOne(String name) throws IOException {
        try (Fixture f = new Fixture(name)) {
            SpikeMonitor parallel = SpikeMonitor.builder(f.model).build();
            f.model.forward(f.ps, f.tokens, null, false, parallel);
            SpikeMonitor recurrent =
                    SpikeMonitor.builder(f.model)
                            .optStatefulForwards(true)
                            .optTraceLayers(0)
                            .optMaxTraceTokens(5)
                            .build();
            SpikeGptState state = SpikeGptState.zeros(f.manager, f.vectors.config, f.batch);
            for (int t = 0; t < f.steps; t++) {
                NDArray step = f.tokens.get(new NDIndex(":, {}:{}", t, t + 1));
                state = f.model.forward(f.ps, step, state, false, recurrent).state();
            }
            SpikeStatistics a = parallel.statistics();
            SpikeStatistics b = recurrent.statistics();
            assertEquals(a.rates(), b.rates(), "the recurrent form spikes like the parallel one");
            assertEquals(f.steps, b.forwards());
            for (int i = 0; i <= f.layers; i++) {
                StreamStats[] x =
                        i < f.layers
                                ? new StreamStats[] {a.attInput(i), a.ffnInput(i)}
                                : new StreamStats[] {a.headInput()};
                StreamStats[] y =
                        i < f.layers
                                ? new StreamStats[] {b.attInput(i), b.ffnInput(i)}
                                : new StreamStats[] {b.headInput()};
                for (int k = 0; k < x.length; k++) {
                    assertEquals(x[k].events(), y[k].events(), x[k].name());
                    assertEquals(
                            x[k].previousEvents(),
                            y[k].previousEvents(),
                            x[k].name() + " previous (carried over)");
                    assertEquals(x[k].previousPositions(), y[k].previousPositions(), x[k].name());
                }
            }
            // the traces continue over the forwards: the first 5 tokens of sequence 0
            long[] map = f.spikes(0, "lif1");
            float[] traced = recurrent.traces().spikes(0, NeuronSite.LIF1);
            assertEquals(5, recurrent.traces().tokens());
            for (int i = 0; i < 5 * f.width; i++) {
                assertEquals(map[i], (long) traced[i], "trace at " + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny"})
    void anAttachedMonitorLeavesNoArraysBehind(String name) throws IOException {
        try (Fixture f = new Fixture(name);
                SpikeMonitor monitor = SpikeMonitor.attach(f.model)) {
            int[] counts = new int[4];
            for (int round = 0; round < 4; round++) {
                try (NDManager call = f.manager.newSubManager()) {
                    NDArray tokens = f.tokens.duplicate();
                    tokens.attach(call);
                    f.model.forward(f.ps, tokens, null, false, null);
                }
                counts[round] = f.manager.getManagedArrays().size();
            }
            assertEquals(
                    counts[1], counts[3], "arrays in the model's manager after rounds 2 and 4");
            assertEquals(4, monitor.statistics().forwards());
        }
    }
}
