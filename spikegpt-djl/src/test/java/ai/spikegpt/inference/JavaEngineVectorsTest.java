package ai.spikegpt.inference;

import static ai.spikegpt.TestSupport.assertClose;
import static ai.spikegpt.TestSupport.floats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.spikegpt.ReferenceVectors;
import ai.spikegpt.io.ModelIO;
import ai.spikegpt.model.LayerState;
import ai.spikegpt.model.SpikeGptClassifier;
import ai.spikegpt.model.SpikeGptModel;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java engine against the reference implementation's test vectors (the same tolerances as the
 * DJL blocks' {@code ReferenceVectorsTest}): the parallel logits, the recurrent logits and final
 * state, the classification head; and the event-driven products against the dense ones.
 */
class JavaEngineVectorsTest {

    private static int[] ints(NDArray a) {
        long[] l = a.toLongArray();
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            out[i] = Math.toIntExact(l[i]);
        }
        return out;
    }

    private static JavaSpikeGpt engine(ReferenceVectors v, NDManager manager) throws IOException {
        SpikeGptModel model = ModelIO.loadLanguageModel(v.weightsFile(), null, manager);
        return new JavaSpikeGpt(JavaWeights.of(model, WeightFormat.FP32));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "small"})
    void parallelFormGivesTheReferenceLogits(String name) throws IOException {
        ReferenceVectors v = ReferenceVectors.load(name);
        try (NDManager manager = NDManager.newBaseManager()) {
            JavaSpikeGpt java = engine(v, manager);
            NDArray tokens = v.array(manager, "tokens");
            int batch = (int) tokens.getShape().get(0);
            int steps = (int) tokens.getShape().get(1);
            float[] h = java.hidden(ints(tokens), batch, steps, JavaState.zeros(v.config, batch));
            assertClose(v.floats("logits"), java.logits(h, batch * steps), 1e-5, "logits");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "small"})
    void recurrentFormGivesTheReferenceLogitsAndState(String name) throws IOException {
        ReferenceVectors v = ReferenceVectors.load(name);
        try (NDManager manager = NDManager.newBaseManager()) {
            JavaSpikeGpt java = engine(v, manager);
            int[] tokens = ints(v.array(manager, "tokens"));
            int batch = (int) v.array(manager, "tokens").getShape().get(0);
            int steps = tokens.length / batch;
            int vocab = v.config.getVocabSize();
            JavaState state = JavaState.zeros(v.config, batch);
            float[] rnn = new float[batch * steps * vocab];
            for (int t = 0; t < steps; t++) {
                int[] step = new int[batch];
                for (int b = 0; b < batch; b++) {
                    step[b] = tokens[b * steps + t];
                }
                float[] logits = java.lastLogits(step, batch, 1, state);
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(logits, b * vocab, rnn, (b * steps + t) * vocab, vocab);
                }
            }
            assertClose(v.floats("rnn_logits"), rnn, 1e-5, "rnn_logits");
            // the final state [L, 7, B, C]: aa/bb/pp rtol 1e-4, the rest atol 1e-5
            float[] expected = v.floats("rnn_state_final");
            int field = batch * v.config.getEmbeddingSize();
            for (int i = 0; i < expected.length; i++) {
                int layer = i / (LayerState.FIELDS * field);
                int f = (i / field) % LayerState.FIELDS;
                float actual = state.field(layer, f)[i % field];
                double tol = f >= 1 && f <= 3 ? 1e-4 * Math.abs(expected[i]) + 1e-6 : 1e-5;
                assertTrue(
                        Math.abs(expected[i] - actual) <= tol,
                        "rnn_state_final[" + i + "]: " + expected[i] + " vs " + actual);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "small"})
    void classifierGivesTheReferenceLogitsWholeAndInChunks(String name) throws IOException {
        ReferenceVectors v = ReferenceVectors.load(name);
        try (NDManager manager = NDManager.newBaseManager()) {
            SpikeGptClassifier classifier = ModelIO.loadClassifier(v.weightsFile(), null, manager);
            JavaClassifier java = new JavaClassifier(JavaWeights.of(classifier, WeightFormat.FP32));
            int[] tokens = ints(v.array(manager, "nlu_tokens"));
            float[] mask = floats(v.array(manager, "nlu_mask"));
            int batch = (int) v.array(manager, "nlu_tokens").getShape().get(0);
            int steps = tokens.length / batch;
            int[][] texts = new int[batch][];
            for (int b = 0; b < batch; b++) {
                int n = 0;
                while (n < steps && mask[b * steps + n] > 0) {
                    n++;
                }
                texts[b] = Arrays.copyOfRange(tokens, b * steps, b * steps + n);
            }
            float[] expected = v.floats("nlu_logits");
            assertClose(expected, java.logits(texts), 1e-5, "nlu_logits");
            java.setChunkLength(3);
            assertClose(expected, java.logits(texts), 1e-5, "nlu_logits in chunks of 3");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "small"})
    void eventDrivenProductsEqualDenseOnesAndSkipWork(String name) throws IOException {
        ReferenceVectors v = ReferenceVectors.load(name);
        try (NDManager manager = NDManager.newBaseManager()) {
            JavaSpikeGpt java = engine(v, manager);
            NDArray tokens = v.array(manager, "tokens");
            int batch = (int) tokens.getShape().get(0);
            int steps = (int) tokens.getShape().get(1);
            int[] ids = ints(tokens);
            // the whole batch at once (products of many rows) ...
            java.setSparse(false);
            float[] dense = java.hidden(ids, batch, steps, JavaState.zeros(v.config, batch));
            assertEquals(0, java.getCounter().skipped());
            java.setSparse(true);
            float[] sparse = java.hidden(ids, batch, steps, JavaState.zeros(v.config, batch));
            assertArrayEquals(dense, sparse, "sparse and dense hidden states, parallel form");
            // ... and the first text token by token (generation: one row, where skipping pays)
            JavaState denseState = JavaState.zeros(v.config, 1);
            JavaState sparseState = JavaState.zeros(v.config, 1);
            java.getCounter().reset();
            for (int t = 0; t < steps; t++) {
                int[] token = {ids[t]};
                java.setSparse(false);
                float[] d = java.hidden(token, 1, 1, denseState);
                java.setSparse(true);
                assertArrayEquals(d, java.hidden(token, 1, 1, sparseState), "token " + t);
            }
            for (int l = 0; l < v.config.getLayers(); l++) {
                for (int f = 0; f < LayerState.FIELDS; f++) {
                    assertArrayEquals(denseState.field(l, f), sparseState.field(l, f));
                }
            }
            // relu^2 zeroes about half of the channel mix's hidden units (the dense half of the
            // counts above is the dense run's)
            assertTrue(
                    java.getCounter().skipped() > 0.05 * java.getCounter().dense() / 2,
                    "skipped " + java.getCounter().skippedFraction());
        }
    }
}
