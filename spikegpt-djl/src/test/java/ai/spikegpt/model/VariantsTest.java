package ai.spikegpt.model;

import static ai.spikegpt.TestSupport.assertClose;
import static ai.spikegpt.TestSupport.floats;
import static ai.spikegpt.TestSupport.stepByStep;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.spikegpt.io.ModelIO;
import ai.spikegpt.training.LanguageModelLoss;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every architecture variant trains, runs recurrently like in parallel, and saves and loads. */
class VariantsTest {

    @TempDir Path dir;

    static SpikeGptConfig config(Variant variant) {
        return SpikeGptConfig.builder()
                .setVocabSize(40)
                .setEmbeddingSize(32)
                .setLayers(2)
                .optContextLength(24)
                .optVariant(variant)
                .optDropout(0f)
                .optInit("rwkv", 5f, 12f)
                .build();
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void trainsRunsRecurrentlyAndRoundTrips(Variant variant)
            throws IOException, MalformedModelException {
        SpikeGptConfig config = config(variant);
        Engine.getInstance().setRandomSeed(11);
        try (NDManager manager = NDManager.newBaseManager()) {
            SpikeGptModel model = new SpikeGptModel(config);
            model.initialize(manager, DataType.FLOAT32, new Shape(2, 24));
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray tokens = manager.randomInteger(0, 40, new Shape(2, 24), DataType.INT64);

            // training: finite gradients that reach every parameter
            try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                NDArray logits = model.forward(ps, tokens, null, true, null).logits();
                NDArray targets =
                        tokens.get(new NDIndex(":, 1:"))
                                .concat(tokens.get(new NDIndex(":, :1")), 1);
                gc.backward(
                        new LanguageModelLoss(true)
                                .evaluate(new NDList(targets), new NDList(logits)));
            }
            for (Map.Entry<String, Parameter> p : model.namedParameters().entrySet()) {
                float[] g = floats(p.getValue().getArray().getGradient());
                double sum = 0;
                for (float v : g) {
                    assertTrue(Float.isFinite(v), p.getKey() + " gradient is finite");
                    sum += Math.abs(v);
                }
                assertTrue(sum > 0, variant + ": " + p.getKey() + " receives a gradient");
            }

            // recurrent form == parallel form
            NDArray parallel = model.forward(ps, tokens, null, false, null).logits();
            SpikeGptState state = SpikeGptState.zeros(manager, config, 2);
            assertClose(
                    floats(parallel),
                    floats(stepByStep(model, ps, tokens, state)),
                    1e-5,
                    variant + " recurrent vs parallel");

            // safetensors with original names, and DJL's own Model.save/load
            Path file = dir.resolve(variant + ".safetensors");
            ModelIO.save(model.namedParameters(), config, file, DataType.FLOAT32, null);
            SpikeGptModel loaded = ModelIO.loadLanguageModel(file, null, manager);
            assertClose(
                    floats(parallel),
                    floats(loaded.forward(ps, tokens, null, false, null).logits()),
                    0,
                    "safetensors");

            try (Model djl = Model.newInstance("spikegpt")) {
                djl.setBlock(model);
                djl.save(dir.resolve("djl-" + variant), "spikegpt");
            }
            try (Model djl = Model.newInstance("spikegpt")) {
                djl.setBlock(new SpikeGptModel(config));
                djl.load(dir.resolve("djl-" + variant), "spikegpt");
                SpikeGptModel restored = (SpikeGptModel) djl.getBlock();
                ParameterStore ps2 = new ParameterStore(djl.getNDManager(), false);
                NDArray again = restored.forward(ps2, tokens, null, false, null).logits();
                assertClose(floats(parallel), floats(again), 0, "DJL Model.save/load");
            }
        }
    }
}
