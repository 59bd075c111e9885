package ai.spikegpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import ai.spikegpt.model.SpikeGptModel;
import ai.spikegpt.model.SpikeGptState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Locates the reference vectors and ../shared, and compares arrays with the reference's tolerances.
 */
public final class TestSupport {

    private TestSupport() {}

    /**
     * Returns the shared folder (data sets, the reference implementation): the {@code
     * spikegpt.shared} system property, the {@code SPIKEGPT_SHARED} environment variable, or {@code
     * ../shared}.
     *
     * @return the folder
     */
    public static Path shared() {
        String p = System.getProperty("spikegpt.shared", System.getenv("SPIKEGPT_SHARED"));
        Path dir = p != null ? Paths.get(p) : Paths.get("..", "shared");
        if (!Files.isDirectory(dir)) {
            dir = Paths.get("..", "..", "shared");
        }
        assertTrue(
                Files.isDirectory(dir.resolve("data")),
                "the shared data sets are missing: set -Dspikegpt.shared=/path/to/shared (looked in "
                        + dir.toAbsolutePath()
                        + ")");
        return dir;
    }

    /**
     * Returns the reference implementation's {@code tiny} and {@code small} test vectors, copied
     * from {@code ../shared/reference/vectors} into the test resources so that a bare clone checks
     * the model's exactness.
     *
     * @return the test vectors folder
     */
    public static Path vectors() {
        try {
            return Paths.get(
                            TestSupport.class
                                    .getResource("/reference-vectors/summary.json")
                                    .toURI())
                    .getParent();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs a model token by token (the recurrent form), from a state.
     *
     * @param model the model
     * @param ps the parameter store
     * @param tokens the tokens {@code [B, T]}
     * @param state the state before the first token
     * @return the logits of every step, {@code [B, T, V]}
     */
    public static NDArray stepByStep(
            SpikeGptModel model, ParameterStore ps, NDArray tokens, SpikeGptState state) {
        NDList steps = new NDList();
        for (long t = 0; t < tokens.getShape().get(1); t++) {
            SpikeGptModel.Output out =
                    model.forward(
                            ps, tokens.get(new NDIndex(":, {}:{}", t, t + 1)), state, false, null);
            steps.add(out.logits());
            state = out.state();
        }
        return NDArrays.concat(steps, 1);
    }

    /**
     * Asserts {@code max |a - b| <= atol}.
     *
     * @param expected the expected values
     * @param actual the actual values
     * @param atol the absolute tolerance
     * @param what a name for the message
     */
    public static void assertClose(float[] expected, float[] actual, double atol, String what) {
        assertEquals(expected.length, actual.length, what + ": size");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) expected[i] - actual[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        double w = worst;
        int i = at;
        assertTrue(
                worst <= atol,
                () ->
                        what
                                + ": max |diff| = "
                                + w
                                + " > "
                                + atol
                                + " at "
                                + i
                                + " (expected "
                                + expected[i]
                                + ", got "
                                + actual[i]
                                + ")");
    }

    /**
     * Asserts {@code max |a - b| <= rel * max |expected|} (the reference's gradient tolerance).
     *
     * @param expected the expected values
     * @param actual the actual values
     * @param rel the relative tolerance
     * @param what a name for the message
     */
    public static void assertRelClose(float[] expected, float[] actual, double rel, String what) {
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        assertClose(
                expected, actual, Math.max(rel * scale, 1e-30), what + " (scale " + scale + ")");
    }

    /**
     * Returns an array's values as floats.
     *
     * @param a the array
     * @return the values
     */
    public static float[] floats(NDArray a) {
        return a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
    }
}
