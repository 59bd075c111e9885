package ai.spikegpt.nn;

import static ai.spikegpt.TestSupport.assertClose;
import static ai.spikegpt.TestSupport.assertRelClose;
import static ai.spikegpt.TestSupport.floats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.spikegpt.io.Safetensors;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The LIF neuron (every reset, surrogate and learnable option) and the WKV operator alone, against
 * literal step-by-step autograd loops at long sequence lengths (T = 512 and 600), from {@code
 * src/test/python/make_op_vectors.py}.
 */
class OperatorVectorsTest {

    private static Safetensors vectors;

    @BeforeAll
    static void open() throws IOException {
        Path file = Paths.get("src/test/resources/vectors/ops.safetensors");
        vectors = Safetensors.open(file);
    }

    @ParameterizedTest(name = "segmented backward: {0}")
    @ValueSource(booleans = {false, true})
    void lifMatchesLiteralBpttInEveryMode(boolean segmented) {
        JsonArray cases =
                JsonParser.parseString(vectors.metadata().get("lif_cases")).getAsJsonArray();
        assertTrue(cases.size() >= 5);
        for (JsonElement element : cases) {
            JsonObject c = element.getAsJsonObject();
            String name = c.get("name").getAsString();
            String p = "lif." + name + ".";
            try (NDManager manager = NDManager.newBaseManager()) {
                LifNeuron lif =
                        LifNeuron.builder()
                                .optTau(c.get("tau").getAsFloat())
                                .optThreshold(c.get("theta").getAsFloat())
                                .optResetMode(
                                        "soft".equals(c.get("reset").getAsString())
                                                ? ResetMode.SOFT
                                                : ResetMode.HARD)
                                .optDetachReset(c.get("detach").getAsBoolean())
                                .optSurrogate(
                                        Surrogate.of(
                                                c.get("kind").getAsString(),
                                                c.get("alpha").getAsFloat()))
                                .optLearnableTau(c.get("learn_tau").getAsBoolean())
                                .optLearnableThreshold(c.get("learn_theta").getAsBoolean())
                                .build();
                Shape shape = vectors.entry(p + "x").djlShape();
                lif.initialize(manager, DataType.FLOAT32, shape);
                ParameterStore ps = new ParameterStore(manager, false);
                NDArray x = vectors.floatArray(manager, p + "x");
                x.setRequiresGradient(true);
                NDArray g = vectors.floatArray(manager, p + "g");
                NDArray spikes;
                try (GradientCollector gc = manager.getEngine().newGradientCollector();
                        SegmentedBackward tape = segmented ? SegmentedBackward.record() : null) {
                    spikes = lif.spike(ps, x, null, true).get(0);
                    backward(gc, tape, spikes.mul(g).sum());
                }
                assertArrayEquals(vectors.floats(p + "spikes"), floats(spikes), name + " spikes");
                assertRelClose(
                        vectors.floats(p + "dx"), floats(x.getGradient()), 1e-4, name + " dx");
                if (lif.isLearnableTau()) {
                    NDArray grad =
                            lif.getDirectParameters().get("decay_logit").getArray().getGradient();
                    assertRelClose(
                            vectors.floats(p + "dtau_w"),
                            floats(grad),
                            1e-4,
                            name + " d decay_logit");
                }
                if (lif.isLearnableThreshold()) {
                    NDArray grad =
                            lif.getDirectParameters().get("threshold").getArray().getGradient();
                    assertRelClose(
                            vectors.floats(p + "dtheta"),
                            floats(grad),
                            1e-4,
                            name + " d threshold");
                }
            }
        }
    }

    @ParameterizedTest(name = "segmented backward: {0}")
    @ValueSource(booleans = {false, true})
    void wkvMatchesLiteralLoopAtT600(boolean segmented) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray timeDecay = vectors.floatArray(manager, "wkv.time_decay");
            NDArray u = vectors.floatArray(manager, "wkv.u");
            NDArray k = vectors.floatArray(manager, "wkv.k");
            NDArray v = vectors.floatArray(manager, "wkv.v");
            for (NDArray a : new NDArray[] {timeDecay, u, k, v}) {
                a.setRequiresGradient(true);
            }
            NDArray y;
            try (GradientCollector gc = manager.getEngine().newGradientCollector();
                    SegmentedBackward tape = segmented ? SegmentedBackward.record() : null) {
                y = Wkv.forward(timeDecay, u, k, v, null, null, null, true).y();
                NDArray loss = y.mul(vectors.floatArray(manager, "wkv.gy")).sum();
                System.gc();
                backward(gc, tape, loss);
            }
            assertRelClose(vectors.floats("wkv.y"), floats(y), 1e-5, "wkv y");
            assertRelClose(vectors.floats("wkv.dk"), floats(k.getGradient()), 1e-4, "wkv dk");
            assertRelClose(vectors.floats("wkv.dv"), floats(v.getGradient()), 1e-4, "wkv dv");
            assertRelClose(vectors.floats("wkv.du"), floats(u.getGradient()), 1e-4, "wkv du");
            assertRelClose(
                    vectors.floats("wkv.d_time_decay"),
                    floats(timeDecay.getGradient()),
                    1e-4,
                    "wkv d time_decay");
        }
    }

    /** Autograd in one pass, or in segments with the hand-written LIF and WKV gradients. */
    private static void backward(GradientCollector gc, SegmentedBackward tape, NDArray loss) {
        if (tape == null) {
            gc.backward(loss);
        } else {
            tape.backward(loss);
        }
    }

    @Test
    void heavisideHasExactSurrogateGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] values = {-0.0f, 0f, 0.3f, -0.3f, 1.5f, -2f};
            NDArray x = manager.create(values, new Shape(1, 2, 3));
            x.setRequiresGradient(true);
            Surrogate arctan = new ArcTanSurrogate(2f);
            NDArray s;
            try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                s = HeavisideNeuron.heaviside(x, 0f, arctan, true, null);
                gc.backward(s.sum());
            }
            assertArrayEquals(new float[] {1, 1, 1, 0, 1, 0}, floats(s), "H(-0.0) = H(0) = 1");
            float[] expected = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                expected[i] = (float) (1.0 / (1.0 + Math.pow(Math.PI * values[i], 2)));
            }
            assertClose(expected, floats(x.getGradient()), 1e-7, "arctan surrogate 1/(1+(pi x)^2)");
        }
    }
}
