package ai.spikegpt.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoopTranslator;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.model.SpikeGptModel;
import ai.spikegpt.tokenizer.CharTokenizer;
import ai.spikegpt.tokenizer.TextTokenizer;
import ai.spikegpt.translator.StreamingTextGenerationTranslator;
import ai.spikegpt.translator.TextGenerationTranslator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GeneratorTest {

    private static SpikeGptConfig config;

    @BeforeAll
    static void setUp() {
        config =
                SpikeGptConfig.builder()
                        .setVocabSize(50)
                        .setEmbeddingSize(32)
                        .setLayers(2)
                        .optContextLength(8)
                        .optDropout(0f)
                        .optInit("rwkv", 5f, 12f)
                        .build();
    }

    private static SpikeGptModel model(NDManager m) {
        Engine.getInstance().setRandomSeed(21);
        SpikeGptModel model = new SpikeGptModel(config);
        model.initialize(m, DataType.FLOAT32, new Shape(1, 8));
        return model;
    }

    @Test
    void greedyGenerationIsTheArgmaxOfTheParallelLogits() {
        try (NDManager m = NDManager.newBaseManager()) {
            SpikeGptModel model = model(m);
            ParameterStore ps = new ParameterStore(m, false);
            SpikeGptGenerator generator = new SpikeGptGenerator(SequenceModel.of(model, ps));
            long[] prompt = {
                3, 14, 15, 9, 2, 6, 5, 35, 8, 9, 7, 9
            }; // longer than ctx_len: read in two chunks
            long[] out =
                    generator.generate(
                            m,
                            prompt,
                            SamplingConfig.builder().optTemperature(0).optMaxTokens(20).build(),
                            null);
            assertEquals(20, out.length);
            long[] all = new long[prompt.length + out.length];
            System.arraycopy(prompt, 0, all, 0, prompt.length);
            System.arraycopy(out, 0, all, prompt.length, out.length);
            NDArray logits =
                    model.forward(ps, m.create(all, new Shape(1, all.length)), null, false, null)
                            .logits();
            long[] argmax = logits.argMax(2).toLongArray();
            for (int i = 0; i < out.length; i++) {
                assertEquals(argmax[prompt.length - 1 + i], out[i], "token " + i);
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameText() {
        try (NDManager m = NDManager.newBaseManager()) {
            SpikeGptGenerator g =
                    new SpikeGptGenerator(SequenceModel.of(model(m), new ParameterStore(m, false)));
            long[] prompt = {1, 2, 3};
            SamplingConfig a =
                    SamplingConfig.builder()
                            .optTemperature(1.2f)
                            .optTopP(0.95f)
                            .optMaxTokens(40)
                            .optSeed(5)
                            .build();
            SamplingConfig b =
                    SamplingConfig.builder()
                            .optTemperature(1.2f)
                            .optTopP(0.95f)
                            .optMaxTokens(40)
                            .optSeed(6)
                            .build();
            long[] first = g.generate(m, prompt, a, null);
            assertArrayEquals(first, g.generate(m, prompt, a, null), "same seed");
            assertFalse(Arrays.equals(first, g.generate(m, prompt, b, null)), "another seed");
            long[] topOne =
                    g.generate(
                            m,
                            prompt,
                            SamplingConfig.builder().optTopK(1).optMaxTokens(40).optSeed(9).build(),
                            null);
            long[] greedy =
                    g.generate(
                            m,
                            prompt,
                            SamplingConfig.builder().optTemperature(0).optMaxTokens(40).build(),
                            null);
            assertArrayEquals(greedy, topOne, "top-k 1 is greedy");
            long[] stopped =
                    g.generate(
                            m,
                            prompt,
                            SamplingConfig.builder()
                                    .optTemperature(0)
                                    .optMaxTokens(40)
                                    .optStopTokens(greedy[3])
                                    .build(),
                            null);
            assertArrayEquals(
                    Arrays.copyOf(greedy, Arrays.asList(box(greedy)).indexOf(greedy[3])),
                    stopped,
                    "generation ends before a stop token");
        }
    }

    @Test
    void predictorPathGivesTheSameTokens() throws Exception {
        try (Model djl = Model.newInstance("spikegpt")) {
            SpikeGptModel model = model(djl.getNDManager());
            djl.setBlock(model);
            long[] prompt = {4, 8, 15, 16, 23, 42};
            SamplingConfig greedy =
                    SamplingConfig.builder().optTemperature(0).optMaxTokens(15).build();
            long[] direct =
                    new SpikeGptGenerator(
                                    SequenceModel.of(
                                            model, new ParameterStore(djl.getNDManager(), false)))
                            .generate(djl.getNDManager(), prompt, greedy, null);
            try (Predictor<NDList, NDList> predictor = djl.newPredictor(new NoopTranslator());
                    NDManager m = NDManager.newBaseManager()) {
                long[] viaPredictor =
                        new SpikeGptGenerator(SequenceModel.of(predictor, config))
                                .generate(m, prompt, greedy, null);
                assertArrayEquals(direct, viaPredictor);
            }
        }
    }

    /**
     * The translators drive the same generator after the block's pass over the prompt: the text of
     * a seeded sampling through a {@code Predictor}, whole or streamed, is the generator's.
     */
    @Test
    void theTranslatorsGenerateWhatTheGeneratorDoes() throws Exception {
        StringBuilder alphabet = new StringBuilder();
        for (char c = 'a'; c < 'a' + 49; c++) {
            alphabet.append(c);
        }
        CharTokenizer tokenizer = CharTokenizer.fit(alphabet.toString());
        SamplingConfig sampling =
                SamplingConfig.builder().optTemperature(0.9f).optMaxTokens(30).optSeed(3).build();
        String prompt =
                "abcdefghijklm"; // longer than ctx_len: the block reads it in one parallel pass
        try (Model djl = Model.newInstance("spikegpt")) {
            SpikeGptModel model = model(djl.getNDManager());
            djl.setBlock(model);
            String direct =
                    new SpikeGptGenerator(
                                    SequenceModel.of(
                                            model, new ParameterStore(djl.getNDManager(), false)))
                            .generate(djl.getNDManager(), prompt, tokenizer, sampling, null);
            try (Predictor<String, String> whole =
                            djl.newPredictor(
                                    new TextGenerationTranslator(tokenizer, sampling, 100));
                    Predictor<String, Iterator<String>> streamed =
                            djl.newPredictor(
                                    new StreamingTextGenerationTranslator(
                                            tokenizer, sampling, 100))) {
                assertEquals(direct, whole.predict(prompt));
                StringBuilder pieces = new StringBuilder();
                streamed.streamingPredict(prompt)
                        .getIterativeOutput()
                        .forEachRemaining(pieces::append);
                assertEquals(direct, pieces.toString());
            }
        }
    }

    /**
     * Streaming produces each piece when it is asked for: after the first piece only a few tokens
     * have been decoded, not the whole budget (a {@code flatMap} stream's iterator would generate
     * everything before returning the first piece).
     */
    @Test
    void streamedPiecesAreProducedOnlyWhenAskedFor() throws Exception {
        StringBuilder alphabet = new StringBuilder();
        for (char c = 'a'; c < 'a' + 50; c++) {
            alphabet.append(c);
        }
        CharTokenizer chars = CharTokenizer.fit(alphabet.toString());
        int[] decoded = {0};
        TextTokenizer counting =
                new TextTokenizer() {
                    @Override
                    public long[] encode(String text) {
                        return chars.encode(text);
                    }

                    @Override
                    public String decode(long[] ids) {
                        decoded[0]++;
                        return chars.decode(ids);
                    }

                    @Override
                    public int vocabSize() {
                        return chars.vocabSize();
                    }

                    @Override
                    public String type() {
                        return chars.type();
                    }

                    @Override
                    public OptionalLong endOfText() {
                        return chars.endOfText();
                    }

                    @Override
                    public void save(Path file) throws IOException {
                        chars.save(file);
                    }
                };
        SamplingConfig sampling =
                SamplingConfig.builder().optTemperature(0.9f).optMaxTokens(500).optSeed(3).build();
        try (Model djl = Model.newInstance("spikegpt")) {
            djl.setBlock(model(djl.getNDManager()));
            try (Predictor<String, Iterator<String>> streamed =
                    djl.newPredictor(
                            new StreamingTextGenerationTranslator(counting, sampling, 100))) {
                Iterator<String> pieces = streamed.streamingPredict("abc").getIterativeOutput();
                assertTrue(pieces.hasNext());
                pieces.next();
                assertTrue(decoded[0] <= 2, decoded[0] + " tokens decoded for the first piece");
                int count = 1;
                while (pieces.hasNext()) {
                    pieces.next();
                    count++;
                }
                assertEquals(500, count, "one piece a character");
                assertEquals(500, decoded[0]);
            }
        }
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(
                IllegalArgumentException.class,
                () -> SamplingConfig.builder().optTemperature(-0.1f).build());
        assertThrows(
                IllegalArgumentException.class, () -> SamplingConfig.builder().optTopP(0f).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> SamplingConfig.builder().optTopP(1.5f).build());
        assertThrows(
                IllegalArgumentException.class, () -> SamplingConfig.builder().optTopK(-1).build());
        try (NDManager m = NDManager.newBaseManager()) {
            SpikeGptGenerator g =
                    new SpikeGptGenerator(SequenceModel.of(model(m), new ParameterStore(m, false)));
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> g.generate(m, new long[0], SamplingConfig.greedy(), null));
            assertTrue(e.getMessage().contains("empty"));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> g.generate(m, new long[] {50}, SamplingConfig.greedy(), null));
        }
    }

    @Test
    void generationDoesNotGrowNativeMemory() {
        try (NDManager m = NDManager.newBaseManager()) {
            SpikeGptModel model = model(m);
            SpikeGptGenerator g =
                    new SpikeGptGenerator(SequenceModel.of(model, new ParameterStore(m, false)));
            SamplingConfig c = SamplingConfig.builder().optMaxTokens(30).build();
            g.generate(m, new long[] {1, 2}, c, null);
            int before = m.getManagedArrays().size();
            for (int i = 0; i < 5; i++) {
                g.generate(m, new long[] {1, 2}, c, null);
            }
            assertEquals(before, m.getManagedArrays().size());
        }
    }

    private static Long[] box(long[] a) {
        return Arrays.stream(a).boxed().toArray(Long[]::new);
    }
}
