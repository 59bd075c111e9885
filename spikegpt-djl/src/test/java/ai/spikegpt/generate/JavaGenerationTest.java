package ai.spikegpt.generate;

import static ai.spikegpt.TestSupport.assertClose;
import static ai.spikegpt.TestSupport.floats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.spikegpt.ReferenceVectors;
import ai.spikegpt.inference.JavaSpikeGpt;
import ai.spikegpt.inference.JavaWeights;
import ai.spikegpt.inference.WeightFormat;
import ai.spikegpt.io.ModelIO;
import ai.spikegpt.model.SpikeGptModel;
import ai.spikegpt.model.SpikeGptState;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The generator over the Java engine produces what it produces over the DJL block: the same tokens
 * greedy and sampled with a seed, and {@link SequenceModel#run} gives the block's logits and state.
 */
class JavaGenerationTest {

    private static final long[] PROMPT = {3, 14, 15, 92, 65, 35, 89, 79, 32, 38, 46, 26, 43, 38};

    @Test
    void javaAndDjlGenerateTheSameTokens() throws IOException {
        ReferenceVectors v = ReferenceVectors.load("small");
        try (NDManager m = NDManager.newBaseManager()) {
            SpikeGptModel model = ModelIO.loadLanguageModel(v.weightsFile(), null, m);
            SequenceModel djl = SequenceModel.of(model, new ParameterStore(m, false));
            SequenceModel java =
                    SequenceModel.of(new JavaSpikeGpt(JavaWeights.of(model, WeightFormat.FP32)));
            for (SamplingConfig sampling :
                    new SamplingConfig[] {
                        SamplingConfig.builder().optTemperature(0).optMaxTokens(60).build(),
                        SamplingConfig.builder()
                                .optTemperature(0.9f)
                                .optTopP(0.95f)
                                .optSeed(7)
                                .optMaxTokens(60)
                                .build()
                    }) {
                long[] expected = new SpikeGptGenerator(djl).generate(m, PROMPT, sampling, null);
                long[] actual = new SpikeGptGenerator(java).generate(m, PROMPT, sampling, null);
                assertEquals(60, expected.length);
                assertArrayEquals(expected, actual, sampling.toString());
            }
        }
    }

    @Test
    void runGivesTheBlocksLogitsAndState() throws IOException {
        ReferenceVectors v = ReferenceVectors.load("small");
        try (NDManager m = NDManager.newBaseManager()) {
            SpikeGptModel model = ModelIO.loadLanguageModel(v.weightsFile(), null, m);
            SequenceModel djl = SequenceModel.of(model, new ParameterStore(m, false));
            SequenceModel java =
                    SequenceModel.of(new JavaSpikeGpt(JavaWeights.of(model, WeightFormat.FP32)));
            NDArray tokens = m.create(PROMPT, new Shape(1, PROMPT.length));
            SequenceModel.Step a = djl.run(tokens, SpikeGptState.zeros(m, model.getConfig(), 1));
            SequenceModel.Step b = java.run(tokens, SpikeGptState.zeros(m, model.getConfig(), 1));
            assertClose(floats(a.logits()), floats(b.logits()), 1e-5, "logits");
            assertClose(floats(a.state().pack()), floats(b.state().pack()), 1e-4, "state");
        }
    }
}
