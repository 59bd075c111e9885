package ai.spikegpt.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.model.SpikeGptModel;
import ai.spikegpt.tokenizer.BpeTokenizer;
import ai.spikegpt.tokenizer.CharTokenizer;
import ai.spikegpt.tokenizer.Gpt2Vocabulary;
import ai.spikegpt.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model directory changes as a whole: a save that fails half-way leaves the old model, a save
 * killed after its commit point is finished by the next reader, and a new model's files replace all
 * of the old one's. Two models with different weights and dropout are written over each other.
 */
class ModelDirectorySaveTest {

    private static final SpikeGptConfig OLD = config(0f);
    private static final SpikeGptConfig NEW = config(0.2f);

    @TempDir Path tmp;
    private NDManager manager;
    private SpikeGptModel oldModel;
    private SpikeGptModel newModel;
    private Path dir;

    private static SpikeGptConfig config(float dropout) {
        return SpikeGptConfig.builder()
                .setVocabSize(300)
                .setEmbeddingSize(16)
                .setLayers(1)
                .optContextLength(8)
                .optDropout(dropout)
                .build();
    }

    private SpikeGptModel model(SpikeGptConfig config, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        SpikeGptModel model = new SpikeGptModel(config);
        model.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
        return model;
    }

    @BeforeEach
    void writeTheOldModel() throws IOException {
        manager = NDManager.newBaseManager();
        oldModel = model(OLD, 1);
        newModel = model(NEW, 2);
        dir = tmp.resolve("model");
        ModelDirectory.save(dir, oldModel, OLD, CharTokenizer.fit("abc"), DataType.FLOAT32, null);
        ModelDirectory.save(
                tmp.resolve("old"),
                oldModel,
                OLD,
                CharTokenizer.fit("abc"),
                DataType.FLOAT32,
                null);
        ModelDirectory.save(
                tmp.resolve("new"),
                newModel,
                NEW,
                CharTokenizer.fit("xyz"),
                DataType.FLOAT32,
                null);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void aSaveThatFailsHalfWayLeavesTheOldModel() throws IOException {
        // the weights cannot be stored as int8: the new config.json is written by then
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        ModelDirectory.save(
                                dir, newModel, NEW, CharTokenizer.fit("xyz"), DataType.INT8, null));
        assertHoldsTheModelOf(tmp.resolve("old"));
        // the tokenizer fails last, after the configuration and the weights
        assertThrows(
                IOException.class,
                () ->
                        ModelDirectory.save(
                                dir,
                                newModel,
                                NEW,
                                new FailingTokenizer(),
                                DataType.FLOAT32,
                                null));
        assertHoldsTheModelOf(tmp.resolve("old"));
        assertEquals(
                List.of("chars.json", "config.json", "model.safetensors", "serving.properties"),
                files(dir),
                "no staging folder or temporary file is left");
    }

    @Test
    void aReaderFinishesASaveKilledAfterItsCommit() throws IOException {
        // killed in step 3: config.json already replaced, the rest still in the commit folder
        Path commit = Files.createDirectory(dir.resolve(DirectoryTransaction.COMMIT));
        for (String name :
                List.of(ModelDirectory.WEIGHTS, CharTokenizer.FILE, ModelDirectory.SERVING)) {
            Files.copy(tmp.resolve("new").resolve(name), commit.resolve(name));
        }
        Files.writeString(commit.resolve(DirectoryTransaction.OBSOLETE), "tokenizer.json\n");
        Files.copy(
                tmp.resolve("new/config.json"),
                dir.resolve("config.json"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertTrue(ModelDirectory.isModelDirectory(dir));
        assertHoldsTheModelOf(tmp.resolve("new"));
        assertFalse(Files.exists(commit));
        try (TextTokenizer t = ModelDirectory.tokenizer(dir)) {
            assertArrayEquals(
                    CharTokenizer.fit("xyz").encode("zyx"), t.encode("zyx"), "the new tokenizer");
        }
    }

    @Test
    void aLeftoverStagingFolderIsIgnoredThenCleanedUp() throws IOException {
        Path staging = Files.createDirectory(dir.resolve(DirectoryTransaction.STAGING));
        Files.writeString(staging.resolve(ModelDirectory.CONFIG), "{\"n_layer\": half-written");

        assertHoldsTheModelOf(tmp.resolve("old"));
        ModelDirectory.save(dir, newModel, NEW, CharTokenizer.fit("xyz"), DataType.FLOAT32, null);
        assertHoldsTheModelOf(tmp.resolve("new"));
        assertFalse(Files.exists(staging));
    }

    @Test
    void aNewModelsTokenizerReplacesTheOldOne() throws IOException {
        Path vocabulary = tmp.resolve("gpt2.json");
        Gpt2Vocabulary.write(256, vocabulary);
        try (BpeTokenizer bpe = BpeTokenizer.load(vocabulary)) {
            ModelDirectory.save(dir, newModel, NEW, bpe, DataType.FLOAT32, null);
        }
        assertFalse(
                Files.exists(dir.resolve(CharTokenizer.FILE)),
                "the old chars.json would be read first");
        try (TextTokenizer t = ModelDirectory.tokenizer(dir)) {
            assertEquals("bpe", t.type());
        }
    }

    private void assertHoldsTheModelOf(Path expected) throws IOException {
        assertEquals(ModelDirectory.config(expected), ModelDirectory.config(dir));
        Safetensors a = Safetensors.open(expected.resolve(ModelDirectory.WEIGHTS));
        Safetensors b = Safetensors.open(dir.resolve(ModelDirectory.WEIGHTS));
        assertEquals(a.entries().keySet(), b.entries().keySet());
        for (String name : a.entries().keySet()) {
            assertArrayEquals(a.floats(name), b.floats(name), name);
        }
        assertEquals(
                ModelDirectory.config(expected),
                ModelDirectory.loadLanguageModel(dir, manager).getConfig());
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** A tokenizer whose file cannot be written, like a full disk. */
    private static final class FailingTokenizer implements TextTokenizer {
        @Override
        public long[] encode(String text) {
            return new long[0];
        }

        @Override
        public String decode(long[] ids) {
            return "";
        }

        @Override
        public int vocabSize() {
            return 3;
        }

        @Override
        public String type() {
            return "char";
        }

        @Override
        public OptionalLong endOfText() {
            return OptionalLong.empty();
        }

        @Override
        public void save(Path modelDir) throws IOException {
            throw new IOException("no space left on device");
        }

        @Override
        public void close() {}
    }
}
