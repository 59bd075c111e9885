package ai.spikegpt.spikes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.model.SpikeGptModel;
import ai.spikegpt.model.Variant;
import org.junit.jupiter.api.Test;

/**
 * Operation counts against a hand calculation: C = 4, H = 16, V = 8, one block, one sequence of T =
 * 2 tokens (N = 2 positions, N' = 1 with a previous token), with these spikes fed to the monitor:
 *
 * <pre>
 *   embedding e   t0 [1 0 1 0]   t1 [1 1 1 0]      5 bits
 *   lif1      s1  t0 [0 1 0 0]   t1 [0 0 0 0]      1 spike
 *   lif2      s2  t0 [1 0 0 0]   t1 [0 1 0 1]      3 spikes
 *
 *   events (sum over channels of e + spike counts so far) per token t0, t1:
 *   into att (LN1):   e                 2, 3   -> current 5, previous (t1 sees t0) 2
 *   into ffn (LN2):   e + s1            3, 3   -> current 6, previous 3
 *   into head:        e + s1 + s2       4, 5   -> current 9 (no token shift)
 * </pre>
 */
class OperationCounterTest {

    private static NDArray map(NDManager m, float[] values, int width) {
        return m.create(values, new Shape(1, values.length / width, width));
    }

    private static SpikeStatistics feed(Variant variant) {
        SpikeGptConfig config =
                SpikeGptConfig.builder()
                        .setVocabSize(8)
                        .setEmbeddingSize(4)
                        .setLayers(1)
                        .optVariant(variant)
                        .build();
        SpikeGptModel model = new SpikeGptModel(config);
        SpikeMonitor monitor = SpikeMonitor.builder(model).build();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray e = map(m, new float[] {1, 0, 1, 0, 1, 1, 1, 0}, 4);
            NDArray s1 = map(m, new float[] {0, 1, 0, 0, 0, 0, 0, 0}, 4);
            NDArray s2 = map(m, new float[] {1, 0, 0, 0, 0, 1, 0, 1}, 4);
            NDArray any = m.zeros(new Shape(1, 2, 4));
            // the order of SpikeGptModel/SpikeGptBlock: emb, then per block ln1 ... residual
            monitor.record(-1, "emb", e);
            monitor.record(0, "ln1", any);
            monitor.record(0, "att", any);
            monitor.record(0, "spk1", s1);
            monitor.record(0, "ln2", any);
            monitor.record(0, "ffn_hidden", m.zeros(new Shape(1, 2, 16)));
            monitor.record(0, "ffn", any);
            monitor.record(0, "spk2", s2);
            monitor.record(0, "residual", any);
        }
        return monitor.statistics();
    }

    private static void assertRow(
            OperationReport r,
            String group,
            String name,
            long annMacs,
            long annAdds,
            long macs,
            long sops,
            long adds) {
        OperationCount row = r.row(group, name);
        String what = group + "/" + name;
        assertEquals(annMacs, row.annMacs(), what + " ANN MACs");
        assertEquals(annAdds, row.annAdds(), what + " ANN adds");
        assertEquals(macs, row.macs(), what + " MACs");
        assertEquals(sops, row.sops(), what + " SOPs");
        assertEquals(adds, row.adds(), what + " adds");
    }

    @Test
    void firingAndStreamsOfTheHandExample() {
        SpikeStatistics s = feed(Variant.SPIKEGPT);
        assertEquals(5.0 / 8, s.firing(NeuronSite.EMBEDDING, -1).rate(), 0.0);
        assertEquals(1.0 / 8, s.firing(NeuronSite.LIF1, 0).rate(), 0.0);
        assertEquals(
                3.0 / 4,
                s.firing(NeuronSite.LIF1, 0).neverFiringFraction(),
                0.0); // neurons 0, 2, 3
        assertEquals(3.0 / 8, s.firing(NeuronSite.LIF2, 0).rate(), 0.0);
        assertEquals(1.0 / 4, s.firing(NeuronSite.LIF2, 0).neverFiringFraction(), 0.0); // neuron 2
        assertEquals(5, s.attInput(0).events());
        assertEquals(2, s.attInput(0).previousEvents());
        assertEquals(6, s.ffnInput(0).events());
        assertEquals(3, s.ffnInput(0).previousEvents());
        assertEquals(9, s.headInput().events());
        assertEquals(9.0 / 8, s.headInput().density(), 0.0); // 9 events over 2 tokens x 4 channels
        assertEquals(7.0 / 8, s.headInput().activeFraction(), 0.0); // t0 [2 1 1 0], t1 [1 2 1 1]
    }

    @Test
    void operationCountsMatchTheHandCalculation() {
        OperationReport r = OperationCounter.count(feed(Variant.SPIKEGPT), EnergyModel.paper());
        // per token x N = 2; columns: ANN MACs, ANN adds | spiking MACs, SOPs, adds
        // LayerNorm: ANN 3C MAC + 2C add; spiking LN1/LN2/LN_out statistics only C + C; LN0 in full
        assertRow(r, "0", "ln0", 24, 16, 24, 0, 16);
        assertRow(r, "0", "ln1", 24, 16, 8, 0, 8);
        // token shift: ANN 3 mixes x C MACs + C adds; folded into the weights when spiking
        assertRow(r, "0", "att.shift", 24, 8, 0, 0, 0);
        // key: ANN N C C = 32. Spiking: slots = N + N' = 3, events 5 + 2 = 7:
        //   SOPs = C x 7 = 28, corrections 4 C x 3 = 48 MACs, 3 C x 3 = 36 adds
        for (String name : new String[] {"att.key", "att.value", "att.receptance"}) {
            assertRow(r, "0", name, 32, 0, 48, 28, 36);
            assertEquals(7.0 / 8, r.row("0", name).inputDensity(), 0.0);
            assertEquals(
                    r.row("0", name).annMacs() * r.row("0", name).inputDensity(),
                    r.row("0", name).sops(),
                    0.0,
                    "SOPs = dense MACs x input density");
        }
        assertRow(r, "0", "att.wkv", 56, 40, 56, 0, 40); // 7C MAC + 5C add per token
        assertRow(r, "0", "att.gate", 24, 8, 24, 0, 8); // sigmoid 2 MAC + 1 add, product 1 MAC
        assertRow(r, "0", "att.output", 32, 0, 32, 0, 0); // real input sigmoid(r) wkv: dense
        // lif1: ANN residual add N C = 8; LIF C N MAC + 2 C N adds, plus 1 add per spike (1)
        assertRow(r, "0", "lif1", 0, 8, 8, 0, 17);
        assertRow(r, "0", "ln2", 24, 16, 8, 0, 8);
        assertRow(r, "0", "ffn.shift", 16, 8, 0, 0, 0);
        // ffn.key, O = H = 16: ANN N C H = 128; events 6 + 3 = 9: SOPs 144, MACs 4 x 16 x 3, adds 3
        // x 16 x 3
        assertRow(r, "0", "ffn.key", 128, 0, 192, 144, 144);
        assertRow(r, "0", "ffn.receptance", 32, 0, 48, 36, 36);
        assertRow(r, "0", "ffn.relu2", 32, 32, 32, 0, 32); // H N squares and comparisons
        assertRow(r, "0", "ffn.value", 128, 0, 128, 0, 0); // real input relu(k)^2: dense N H C
        assertRow(r, "0", "ffn.gate", 24, 8, 24, 0, 8);
        assertRow(r, "0", "lif2", 0, 8, 8, 0, 19); // 16 + 3 spikes
        assertRow(r, "head", "ln_out", 24, 16, 8, 0, 8);
        // head, O = V = 8, one slot: ANN N C V = 64; SOPs 8 x 9 = 72, MACs 4 x 8 x 2, adds 3 x 8 x
        // 2
        assertRow(r, "head", "head", 64, 0, 64, 72, 48);

        OperationCount all = r.total();
        assertEquals(752, all.annMacs());
        assertEquals(184, all.annAdds());
        assertEquals(808, all.macs());
        assertEquals(336, all.sops());
        assertEquals(500, all.adds());
        assertEquals(160, all.denseMacs()); // att.output + ffn.value
        // energy, pJ: ANN 4.6 x 752 + 0.9 x 184 = 3624.8; spiking 4.6 x 808 + 0.9 x (336 + 500) =
        // 4469.2
        assertEquals(3624.8, r.annEnergyPj(), 1e-9);
        assertEquals(4469.2, r.energyPj(), 1e-9);
        assertEquals(
                3624.8 / 4469.2, r.energyRatio(), 1e-12); // < 1: at C = 4 the corrections dominate
        // linear layers only: ANN 4.6 x 480; spiking 4.6 x 160 + 0.9 x 336
        assertEquals(4.6 * 480 / (4.6 * 160 + 0.9 * 336), r.synapticEnergyRatio(), 1e-12);
        assertEquals(480.0 / (160 + 336), r.synapticOpRatio(), 1e-12);
        // per block
        assertEquals(752 - 24 - 64, r.total("0").annMacs());
    }

    @Test
    void spikeGptBCountsItsHiddenSpikesAndRwkvIsItsOwnAnn() {
        SpikeGptConfig b =
                SpikeGptConfig.builder()
                        .setVocabSize(8)
                        .setEmbeddingSize(4)
                        .setLayers(1)
                        .optVariant(Variant.SPIKEGPT_B)
                        .build();
        SpikeMonitor monitor = SpikeMonitor.builder(new SpikeGptModel(b)).build();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray zero4 = m.zeros(new Shape(1, 2, 4));
            float[] hidden = new float[32];
            hidden[0] = 1; // t0, neuron 0
            hidden[17] = 1; // t1, neuron 1
            hidden[31] = 1; // t1, neuron 15
            monitor.record(-1, "emb", zero4);
            monitor.record(0, "ln1", zero4);
            monitor.record(0, "spk1", zero4);
            monitor.record(0, "ln2", zero4);
            monitor.record(0, "ffn_hidden", m.create(hidden, new Shape(1, 2, 16)));
            monitor.record(0, "spk2", zero4);
            monitor.record(0, "residual", zero4);
        }
        OperationReport r = OperationCounter.count(monitor.statistics(), EnergyModel.paper());
        // ffn.value sees 3 hidden spikes: SOPs = C x 3 = 12, no MACs; ANN N H C = 128
        assertRow(r, "0", "ffn.value", 128, 0, 0, 12, 0);
        assertEquals(3.0 / 32, r.row("0", "ffn.value").inputDensity(), 0.0);
        // the hidden LIF (H N MACs, 2 H N adds) replaces relu² (H N MACs, H N adds)
        assertRow(r, "0", "ffn.hidden_lif", 32, 32, 32, 0, 64);
        // nothing fired into the stream: the key/value/receptance do only their corrections
        assertRow(r, "0", "att.key", 32, 0, 48, 0, 36);

        OperationReport rwkv = OperationCounter.count(feed(Variant.RWKV), EnergyModel.paper());
        assertEquals(rwkv.total().annMacs(), rwkv.total().macs());
        assertEquals(rwkv.total().annAdds(), rwkv.total().adds());
        assertEquals(0, rwkv.total().sops());
        assertEquals(1.0, rwkv.energyRatio(), 0.0);
        assertEquals(0, feed(Variant.RWKV).firing().size(), "vanilla RWKV has no spikes");
    }
}
