package ai.spikegpt.model;

import static ai.spikegpt.TestSupport.assertClose;
import static ai.spikegpt.TestSupport.assertRelClose;
import static ai.spikegpt.TestSupport.floats;
import static ai.spikegpt.TestSupport.stepByStep;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.spikegpt.ReferenceFixture;
import ai.spikegpt.ReferenceVectors;
import ai.spikegpt.io.ModelIO;
import ai.spikegpt.nn.SegmentedBackward;
import ai.spikegpt.training.GradientClipping;
import ai.spikegpt.training.LanguageModelLoss;
import ai.spikegpt.training.PyTorchAdam;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The port against the reference implementation's test vectors ({@code
 * ../shared/reference/vectors}, tolerances from its README): logits, loss, gradients, one optimiser
 * step, the recurrent form and its state, spike maps, and the classification head.
 */
class ReferenceVectorsTest {

    private static final class Fixture extends ReferenceFixture {
        final NDArray targets;

        Fixture(String name) throws IOException {
            super(name);
            targets = vectors.array(manager, "targets");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "small"})
    void parallelLogitsMatchInBothModes(String name) throws IOException {
        try (Fixture f = new Fixture(name)) {
            float[] expected = f.vectors.floats("logits");
            assertClose(
                    expected,
                    floats(f.model.forward(f.ps, f.tokens, null, false, null).logits()),
                    1e-5,
                    "logits");
            // the training form (surrogate gradients attached, dropout 0 in the vectors) has the
            // same values
            try (GradientCollector gc = f.manager.getEngine().newGradientCollector()) {
                NDArray logits = f.model.forward(f.ps, f.tokens, null, true, null).logits();
                assertClose(expected, floats(logits), 1e-5, "training-form logits");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "small"})
    void spikeMapsAndActivationsMatch(String name) throws IOException {
        try (Fixture f = new Fixture(name)) {
            Map<String, NDArray> recorded = new HashMap<>();
            f.model.forward(
                    f.ps,
                    f.tokens,
                    null,
                    false,
                    (layer, key, value) -> recorded.put(layer + "." + key, value));
            int checkedActs = 0;
            for (int i = 0; i < f.vectors.config.getLayers(); i++) {
                long[] spk1 = f.vectors.expected.longs("spikes." + i + ".lif1");
                long[] spk2 = f.vectors.expected.longs("spikes." + i + ".lif2");
                assertArrayEquals(
                        spk1, toLongs(recorded.get(i + ".spk1")), "spikes." + i + ".lif1");
                assertArrayEquals(
                        spk2, toLongs(recorded.get(i + ".spk2")), "spikes." + i + ".lif2");
                String[][] acts = {
                    {"ln1", "ln1"}, {"ln2", "ln2"}, {"att_out", "att"}, {"ffn_out", "ffn"}
                };
                for (String[] a : acts) {
                    String key = "act." + i + "." + a[0];
                    if (f.vectors.has(key)) {
                        float[] exp = f.vectors.floats(key);
                        assertClose(
                                exp,
                                floats(recorded.get(i + "." + a[1])),
                                1e-5 + 1e-4 * maxAbs(exp),
                                key);
                        checkedActs++;
                    }
                }
            }
            assertTrue(checkedActs >= 4, "activation vectors were compared");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "small"})
    void lossDlogitsGradientsAndOneAdamStepMatch(String name) throws IOException {
        try (Fixture f = new Fixture(name)) {
            LanguageModelLoss lossFn = new LanguageModelLoss(true);

            // d loss / d logits, L2Wrap included, from the expected logits as a leaf
            NDArray leaf = f.vectors.array(f.manager, "logits");
            leaf.setRequiresGradient(true);
            try (GradientCollector gc = f.manager.getEngine().newGradientCollector()) {
                NDArray loss = lossFn.evaluate(new NDList(f.targets), new NDList(leaf));
                assertClose(f.vectors.floats("loss"), new float[] {loss.getFloat()}, 1e-6, "loss");
                gc.backward(loss);
            }
            assertClose(f.vectors.floats("dlogits"), floats(leaf.getGradient()), 1e-7, "dlogits");

            // the whole model, with a forced GC between forward and backward (DJL's scalar bug)
            try (GradientCollector gc = f.manager.getEngine().newGradientCollector()) {
                NDArray logits = f.model.forward(f.ps, f.tokens, null, true, null).logits();
                NDArray loss = lossFn.evaluate(new NDList(f.targets), new NDList(logits));
                for (int i = 0; i < 3; i++) {
                    System.gc();
                }
                gc.backward(loss);
            }
            List<NDArray> grads = compareGradients(f, name);

            // clip (global norm 1.0) and one Adam step with the original settings
            Map<String, Parameter> params = f.model.namedParameters();
            float norm = GradientClipping.clip(grads, 1f);
            float expectedNorm = f.vectors.floats("grad_total_norm_preclip")[0];
            assertEquals(expectedNorm, norm, 1e-5 * expectedNorm, "pre-clip global norm");
            PyTorchAdam adam = PyTorchAdam.builder().build();
            for (Parameter p : params.values()) {
                adam.update(p.getId(), p.getArray(), p.getArray().getGradient().duplicate());
            }
            int stepped = 0;
            for (Map.Entry<String, Parameter> p : params.entrySet()) {
                String key = "after_step." + p.getKey();
                if (f.vectors.has(key)) {
                    assertClose(f.vectors.floats(key), floats(p.getValue().getArray()), 2e-6, key);
                    stepped++;
                }
            }
            assertTrue(stepped >= 5, "compared " + stepped + " parameters after one step");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "small"})
    void segmentedBackwardGivesTheSameGradients(String name) throws IOException {
        try (Fixture f = new Fixture(name)) {
            try (GradientCollector gc = f.manager.getEngine().newGradientCollector();
                    SegmentedBackward tape = SegmentedBackward.record()) {
                NDArray logits = f.model.forward(f.ps, f.tokens, null, true, null).logits();
                NDArray loss =
                        new LanguageModelLoss(true)
                                .evaluate(new NDList(f.targets), new NDList(logits));
                for (int i = 0; i < 3; i++) {
                    System.gc();
                }
                tape.backward(loss);
            }
            compareGradients(f, name);
        }
    }

    /** Compares every parameter gradient the vectors hold; returns all gradients. */
    private static List<NDArray> compareGradients(Fixture f, String name) {
        Map<String, Parameter> params = f.model.namedParameters();
        int compared = 0;
        List<NDArray> grads = new ArrayList<>();
        for (Map.Entry<String, Parameter> p : params.entrySet()) {
            NDArray g = p.getValue().getArray().getGradient();
            grads.add(g);
            String key = "grad." + p.getKey();
            if (f.vectors.has(key)) {
                float[] actual = floats(g);
                for (float v : actual) {
                    assertTrue(Float.isFinite(v), key + " is finite");
                }
                assertRelClose(f.vectors.floats(key), actual, 1e-4, key);
                compared++;
            }
        }
        assertTrue(
                compared >= ("tiny".equals(name) ? params.size() : 8),
                "compared " + compared + " gradients");
        return grads;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "small"})
    void recurrentFormMatchesReferenceAndParallelForm(String name) throws IOException {
        try (Fixture f = new Fixture(name)) {
            long batch = f.tokens.getShape().get(0);
            long steps = f.tokens.getShape().get(1);
            SpikeGptState state = SpikeGptState.zeros(f.manager, f.vectors.config, (int) batch);
            NDList perStep = new NDList();
            for (long t = 0; t < steps; t++) {
                NDArray token = f.tokens.get(new NDIndex(":, {}:{}", t, t + 1));
                SpikeGptModel.Output out = f.model.forward(f.ps, token, state, false, null);
                perStep.add(out.logits());
                state = out.state();
            }
            NDArray rnn = NDArrays.concat(perStep, 1);
            assertClose(f.vectors.floats("rnn_logits"), floats(rnn), 1e-5, "rnn_logits");
            NDArray parallel = f.model.forward(f.ps, f.tokens, null, false, null).logits();
            assertClose(floats(parallel), floats(rnn), 1e-5, "recurrent vs parallel");

            // the final state: aa/bb/pp rtol 1e-4, the rest atol 1e-5
            float[] expected = f.vectors.floats("rnn_state_final");
            float[] actual = floats(state.pack());
            int c = f.vectors.config.getEmbeddingSize();
            int fieldSize = (int) batch * c;
            for (int i = 0; i < expected.length; i++) {
                int field = (i / fieldSize) % LayerState.FIELDS;
                double tol = field >= 1 && field <= 3 ? 1e-4 * Math.abs(expected[i]) + 1e-6 : 1e-5;
                int at = i;
                assertTrue(
                        Math.abs(expected[i] - actual[i]) <= tol,
                        () ->
                                "rnn_state_final["
                                        + at
                                        + "] (field "
                                        + field
                                        + "): expected "
                                        + expected[at]
                                        + " got "
                                        + actual[at]);
            }

            // prefill in parallel, then continue recurrently: same logits
            long half = steps / 2;
            SpikeGptModel.Output prefill =
                    f.model.forward(
                            f.ps, f.tokens.get(new NDIndex(":, :{}", half)), null, false, null);
            SpikeGptModel.Output rest =
                    f.model.forward(
                            f.ps,
                            f.tokens.get(new NDIndex(":, {}:", half)),
                            prefill.state(),
                            false,
                            null);
            NDArray joined = prefill.logits().concat(rest.logits(), 1);
            assertClose(
                    floats(parallel), floats(joined), 1e-5, "prefill + continuation vs parallel");
        }
    }

    @org.junit.jupiter.api.Test
    void compatibilitySwitchesReproduceTheOriginalRnnScript() throws IOException {
        // the original model_run.py skips the embedding Heaviside (vocab != 77); rescale_every = 6
        // is its RWKV_RESCALE_LAYER (no effect at 2 layers)
        ReferenceVectors v = ReferenceVectors.load("tiny");
        SpikeGptConfig quirks =
                v.config.toBuilder().optBinaryEmbedding(false).optRescaleEvery(6).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            SpikeGptModel model = ModelIO.loadLanguageModel(v.weightsFile(), quirks, manager);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray tokens = v.array(manager, "tokens");
            SpikeGptState state = SpikeGptState.zeros(manager, quirks, 2);
            assertClose(
                    v.floats("rnn_logits_modelrun"),
                    floats(stepByStep(model, ps, tokens, state)),
                    1e-5,
                    "rnn_logits_modelrun");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "small"})
    void classificationHeadMatches(String name) throws IOException {
        ReferenceVectors v = ReferenceVectors.load(name);
        try (NDManager manager = NDManager.newBaseManager()) {
            SpikeGptClassifier classifier = ModelIO.loadClassifier(v.weightsFile(), null, manager);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray tokens = v.array(manager, "nlu_tokens");
            NDArray mask = v.array(manager, "nlu_mask");
            assertClose(
                    v.floats("nlu_pooled"),
                    floats(classifier.pooled(ps, tokens, mask, false, null)),
                    1e-5,
                    "nlu_pooled");
            assertClose(
                    v.floats("nlu_logits"),
                    floats(classifier.classify(ps, tokens, mask, false)),
                    1e-5,
                    "nlu_logits");
        }
    }

    private static long[] toLongs(NDArray spikes) {
        float[] f = floats(spikes);
        long[] out = new long[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = (long) f[i];
        }
        return out;
    }

    private static double maxAbs(float[] a) {
        double m = 0;
        for (float x : a) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
