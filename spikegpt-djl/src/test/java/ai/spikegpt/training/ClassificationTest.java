package ai.spikegpt.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.dataset.Batch;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.model.SpikeGptClassifier;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.model.SpikeGptModel;
import ai.spikegpt.tokenizer.CharTokenizer;
import ai.spikegpt.tokenizer.TextTokenizer;
import ai.spikegpt.translator.SpikeGptTranslatorFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Classification end to end on a task a tiny model can learn: texts of the letters A-E are {@code
 * pos}, texts of V-Z are {@code neg}. Covers the labelled-text format and its errors, the padded
 * batches, a classifier started from a language model, {@link ClassifierTrainer}, and the saved
 * model through DJL's {@code Criteria}.
 */
class ClassificationTest {

    private static final String ALPHABET = "ABCDEVWXYZ .";
    private static final List<String> LABELS = List.of("neg", "pos");

    /** A language model directory: untrained, char-level over {@link #ALPHABET}. */
    static Path languageModel(Path dir) throws IOException {
        SpikeGptConfig config =
                SpikeGptConfig.builder()
                        .setVocabSize(ALPHABET.length())
                        .setEmbeddingSize(16)
                        .setLayers(1)
                        .optContextLength(32)
                        .build();
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            SpikeGptModel model = new SpikeGptModel(config);
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
            ModelDirectory.save(
                    dir, model, config, CharTokenizer.fit(ALPHABET), DataType.FLOAT32, null);
        }
        return dir;
    }

    /** Writes {@code n} examples, label names or indices, in the SST format. */
    static Path examples(Path file, int n, long seed, boolean indices) throws IOException {
        Random random = new Random(seed);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            boolean pos = i % 2 == 0;
            String letters = pos ? "ABCDE" : "VWXYZ";
            StringBuilder text = new StringBuilder();
            for (int j = 3 + random.nextInt(12); j > 0; j--) {
                text.append(letters.charAt(random.nextInt(5)));
            }
            String label = indices ? (pos ? "1" : "0") : (pos ? "pos" : "neg");
            s.append(label).append(i % 3 == 0 ? '\t' : ' ').append(text).append(" .\n");
            if (i == 2) {
                s.append("\n"); // blank lines are skipped
            }
        }
        Files.writeString(file, s);
        return file;
    }

    /**
     * A dataset builder for {@code file} with the test's labels, to finish with sampling and
     * options.
     */
    private static LabeledTextDataset.Builder data(TextTokenizer tokenizer, Path file)
            throws IOException {
        return LabeledTextDataset.builder().setTokenizer(tokenizer).setLabels(LABELS).optFile(file);
    }

    @Test
    void readsTheFormatAndNamesTheLineOfEveryError(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("a.txt"), "1\tgood film\n\n0 bad  film \n");
        List<LabeledTextDataset.Example> read = LabeledTextDataset.read(file);
        assertEquals(
                List.of(
                        new LabeledTextDataset.Example("1", "good film", 1),
                        new LabeledTextDataset.Example("0", "bad  film", 3)),
                read);
        assertEquals(List.of("0", "1"), LabeledTextDataset.labelsOf(read));
        assertEquals(
                List.of("2", "10"),
                LabeledTextDataset.labelsOf(
                        List.of(
                                new LabeledTextDataset.Example("10", "x", 1),
                                new LabeledTextDataset.Example("2", "y", 2))));

        Path noText = Files.writeString(tmp.resolve("b.txt"), "1 fine\npositive\n");
        IOException e = assertThrows(IOException.class, () -> LabeledTextDataset.read(noText));
        assertTrue(
                e.getMessage().contains("b.txt:2")
                        && e.getMessage().contains("LABEL<TAB or space>TEXT"),
                e.getMessage());
        assertThrows(
                IOException.class,
                () -> LabeledTextDataset.read(Files.writeString(tmp.resolve("c.txt"), "\n\n")));
        assertThrows(IOException.class, () -> LabeledTextDataset.read(tmp.resolve("missing.txt")));

        assertEquals(1, LabeledTextDataset.labelIndex("pos", LABELS));
        assertEquals(0, LabeledTextDataset.labelIndex("0", LABELS));
        IllegalArgumentException unknown =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> LabeledTextDataset.labelIndex("2", LABELS));
        assertTrue(
                unknown.getMessage().contains("unknown label '2'")
                        && unknown.getMessage().contains("[neg, pos]"));

        try (TextTokenizer tokenizer = CharTokenizer.fit(ALPHABET)) {
            Path badLabel = Files.writeString(tmp.resolve("d.txt"), "pos ABC\nmaybe ABC\n");
            IllegalArgumentException ex =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> data(tokenizer, badLabel).setSampling(2, false).build());
            assertTrue(ex.getMessage().contains("d.txt:2: unknown label 'maybe'"), ex.getMessage());
            Path badChar = Files.writeString(tmp.resolve("e.txt"), "pos ABC\npos ABQ\n");
            ex =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> data(tokenizer, badChar).setSampling(2, false).build());
            assertTrue(ex.getMessage().startsWith(badChar + ":2: "), ex.getMessage());
        }
    }

    @Test
    void batchesArePaddedAndMasked(@TempDir Path tmp) throws Exception {
        Path file =
                Files.writeString(
                        tmp.resolve("a.txt"), "pos ABCDEABCDE\nneg VW\n1 ABCDEABCDEABCDE\n");
        try (TextTokenizer tokenizer = CharTokenizer.fit(ALPHABET);
                NDManager manager = NDManager.newBaseManager()) {
            LabeledTextDataset data =
                    data(tokenizer, file).optMaxTokens(12).setSampling(3, false).build();
            assertArrayEquals(new int[] {1, 0, 1}, data.labels());
            assertArrayEquals(new int[] {1, 2}, data.classCounts());
            Batch batch = data.getData(manager).iterator().next();
            NDArray tokens = batch.getData().get(0);
            NDArray mask = batch.getData().get(1);
            assertEquals(new Shape(3, 12), tokens.getShape()); // the longest text, cut to 12 tokens
            assertArrayEquals(
                    new float[] {1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, mask.get(1).toFloatArray());
            assertEquals(12f, mask.get(2).sum().getFloat());
            assertArrayEquals(
                    new long[] {
                        tokenizer.encode("V")[0],
                        tokenizer.encode("W")[0],
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0
                    },
                    tokens.get(1).toLongArray());
            assertArrayEquals(new long[] {1, 0, 1}, batch.getLabels().head().toLongArray());
            batch.close();
        }
    }

    @Test
    void probabilityLabelsBecomeDistributions(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("soft.txt"), "0.25,0.75 ABC\npos ABCD\n0 VW\n");
        try (TextTokenizer tokenizer = CharTokenizer.fit(ALPHABET);
                NDManager manager = NDManager.newBaseManager()) {
            LabeledTextDataset data = data(tokenizer, file).setSampling(3, false).build();
            assertTrue(data.hasProbabilityLabels());
            assertArrayEquals(new int[] {1, 1, 0}, data.labels());
            Batch batch = data.getData(manager).iterator().next();
            assertArrayEquals(
                    new float[] {0.25f, 0.75f, 0, 1, 1, 0},
                    batch.getLabels().head().toFloatArray());
            batch.close();
        }
        for (String bad : List.of("0.5,0.6", "0.5,0.25,0.25", "a,b", "-0.5,1.5", "NaN,1", "0.5,")) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> LabeledTextDataset.labelDistribution(bad, LABELS));
            assertTrue(
                    e.getMessage()
                            .contains(
                                    "is not a probability distribution over the classes [neg, pos]"),
                    e.getMessage());
        }
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> LabeledTextDataset.labelsOf(LabeledTextDataset.read(file)));
        assertTrue(e.getMessage().contains("give the class names"), e.getMessage());
    }

    @Test
    void softTargetsTrainTowardsTheirProbabilities(@TempDir Path tmp) throws Exception {
        // Every text is labelled 30% neg, 70% pos: the cross-entropy can fall to the targets'
        // entropy
        // (0.6109 nats, answering 70% pos for every text) but never below it, as it would with
        // classes.
        Path lm = languageModel(tmp.resolve("lm"));
        Path hard = examples(tmp.resolve("train.txt"), 64, 1, false);
        Path soft =
                Files.writeString(
                        tmp.resolve("soft.txt"),
                        Files.readString(hard).replaceAll("(?m)^(pos|neg)(?=\\s)", "0.3,0.7"));
        double entropy = -(0.3 * Math.log(0.3) + 0.7 * Math.log(0.7));
        try (Model model = Model.newInstance("test");
                TextTokenizer tokenizer = ModelDirectory.tokenizer(lm)) {
            model.setBlock(ModelDirectory.newClassifier(lm, LABELS, model.getNDManager()));
            LabeledTextDataset train = data(tokenizer, soft).setSampling(8, true).build();
            LabeledTextDataset dev = data(tokenizer, hard).setSampling(8, false).build();
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    ClassifierTrainer.builder()
                                            .setModel(model)
                                            .setTokenizer(tokenizer)
                                            .setData(train, dev, 8)
                                            .setOutput(tmp.resolve("out"))
                                            .build());
            assertTrue(e.getMessage().contains("optProbabilityLabels"), e.getMessage());

            LabeledTextDataset oneHotDev =
                    data(tokenizer, hard).optProbabilityLabels(true).setSampling(8, false).build();
            ClassifierTrainer.Summary summary =
                    ClassifierTrainer.builder()
                            .setModel(model)
                            .setTokenizer(tokenizer)
                            .setData(train, oneHotDev, 8)
                            .setOutput(tmp.resolve("out"))
                            .optEpochs(10, 10)
                            .optLearningRate(1e-2f, 8)
                            .build()
                            .fit();
            double first = summary.epochs().get(0).trainLoss();
            double last = summary.epochs().get(summary.epochs().size() - 1).trainLoss();
            assertTrue(
                    last >= entropy - 1e-4 && last < entropy + 0.02 && last < first,
                    summary.toString());
            assertEquals(
                    0.5,
                    summary.bestDevAccuracy(),
                    1e-9,
                    "one class for every text: half of them right");
        }
    }

    @Test
    void aClassifierFromALanguageModelKeepsTheTrunkAndGetsANewHead(@TempDir Path tmp)
            throws IOException {
        Path lm = languageModel(tmp.resolve("lm"));
        try (NDManager manager = NDManager.newBaseManager()) {
            SpikeGptModel model = ModelDirectory.loadLanguageModel(lm, manager);
            SpikeGptClassifier classifier = ModelDirectory.newClassifier(lm, LABELS, manager);
            assertEquals(LABELS, classifier.getConfig().getLabels());
            Map<String, Parameter> trunk = model.namedParameters();
            Map<String, Parameter> both = classifier.namedParameters();
            for (Map.Entry<String, Parameter> p : trunk.entrySet()) {
                assertArrayEquals(
                        p.getValue().getArray().toFloatArray(),
                        both.get(p.getKey()).getArray().toFloatArray(),
                        p.getKey());
            }
            NDArray head = both.get("classifier.weight").getArray();
            assertEquals(new Shape(2, 16), head.getShape());
            float bound = 1f / (float) Math.sqrt(16);
            assertTrue(
                    head.abs().max().getFloat() <= bound && head.abs().max().getFloat() > 0,
                    "PyTorch's default init");
        }
    }

    @Test
    void fineTuningLearnsTheTaskAndSavesTheBestModel(@TempDir Path tmp) throws Exception {
        Path lm = languageModel(tmp.resolve("lm"));
        Path out = tmp.resolve("classifier");
        Path train = examples(tmp.resolve("train.txt"), 64, 1, false);
        Path dev = examples(tmp.resolve("dev.txt"), 20, 2, true);
        ClassifierTrainer.Summary summary;
        try (Model model = Model.newInstance("test");
                TextTokenizer tokenizer = ModelDirectory.tokenizer(lm)) {
            model.setBlock(ModelDirectory.newClassifier(lm, LABELS, model.getNDManager()));
            LabeledTextDataset trainData = data(tokenizer, train).setSampling(8, true).build();
            LabeledTextDataset devData = data(tokenizer, dev).setSampling(8, false).build();
            summary =
                    ClassifierTrainer.builder()
                            .setModel(model)
                            .setTokenizer(tokenizer)
                            .setData(trainData, devData, 8)
                            .setOutput(out)
                            .optEpochs(12, 3)
                            .optLearningRate(1e-2f, 8)
                            .build()
                            .fit();
        }
        assertEquals(1.0, summary.bestDevAccuracy(), 1e-9, "the task is separable: " + summary);
        assertEquals(
                summary.bestDevAccuracy(),
                summary.epochs().get(summary.bestEpoch() - 1).devAccuracy());
        // nothing beats 100%: patience (3 epochs) runs out right after the best epoch
        assertTrue(summary.stoppedEarly(), summary.toString());
        assertEquals(summary.bestEpoch() + 3, summary.epochs().size());
        assertTrue(
                summary.epochs().get(summary.epochs().size() - 1).trainLoss()
                        < summary.epochs().get(0).trainLoss());
        for (String name :
                List.of(
                        "config.json",
                        "model.safetensors",
                        "chars.json",
                        "serving.properties",
                        "training/log.csv",
                        "training/accuracy.png",
                        "training/summary.json")) {
            assertTrue(Files.isRegularFile(out.resolve(name)), name);
        }
        assertEquals(
                summary.epochs().size() + 1,
                Files.readAllLines(out.resolve("training/log.csv")).size());

        // the saved model through DJL's model loader: every dev text right, also in one padded
        // batch
        Criteria<String, Classifications> criteria =
                Criteria.builder()
                        .setTypes(String.class, Classifications.class)
                        .optModelPath(out)
                        .optTranslatorFactory(new SpikeGptTranslatorFactory())
                        .build();
        List<LabeledTextDataset.Example> devExamples = LabeledTextDataset.read(dev);
        try (ZooModel<String, Classifications> model = criteria.loadModel();
                Predictor<String, Classifications> predictor = model.newPredictor()) {
            List<String> texts = new ArrayList<>();
            devExamples.forEach(e -> texts.add(e.text()));
            List<Classifications> batch = predictor.batchPredict(texts);
            ConfusionMatrix matrix = new ConfusionMatrix(LABELS);
            for (int i = 0; i < texts.size(); i++) {
                Classifications alone = predictor.predict(texts.get(i));
                assertEquals(alone.best().getClassName(), batch.get(i).best().getClassName());
                assertEquals(
                        alone.best().getProbability(),
                        batch.get(i).best().getProbability(),
                        1e-5,
                        "padding does not change the answer");
                matrix.add(
                        LabeledTextDataset.labelIndex(devExamples.get(i).label(), LABELS),
                        LABELS.indexOf(batch.get(i).best().getClassName()));
            }
            assertEquals(1.0, matrix.accuracy(), 1e-9);
        }
    }

    @Test
    void theTranslatorClassifiesTextsLongerThanTheOldLimitOf4096Tokens(@TempDir Path tmp)
            throws Exception {
        Criteria.Builder<String, Classifications> criteria =
                Criteria.builder()
                        .setTypes(String.class, Classifications.class)
                        .optModelPath(languageModel(tmp.resolve("lm")))
                        .optArgument("labels", "neg,pos")
                        .optTranslatorFactory(new SpikeGptTranslatorFactory());
        String text = "ABCDE VWXYZ ".repeat(500); // 6,000 tokens, 188 contexts of 32
        try (ZooModel<String, Classifications> model = criteria.build().loadModel();
                Predictor<String, Classifications> predictor = model.newPredictor()) {
            Classifications answer = predictor.predict(text);
            double pos = answer.get("pos").getProbability();
            assertTrue(pos > 0 && pos < 1, answer.toString());
            assertEquals(1.0, pos + answer.get("neg").getProbability(), 1e-5);
        }
        try (ZooModel<String, Classifications> model =
                        criteria.optArgument("maxTokens", 100).build().loadModel();
                Predictor<String, Classifications> predictor = model.newPredictor()) {
            Exception e = assertThrows(Exception.class, () -> predictor.predict(text));
            assertTrue(
                    String.valueOf(e.getMessage())
                            .contains("6000 tokens, more than the limit of 100"),
                    e.getMessage());
        }
    }

    @Test
    void theTrainerRefusesMismatchedLabels(@TempDir Path tmp) throws IOException {
        Path lm = languageModel(tmp.resolve("lm"));
        Path train = examples(tmp.resolve("train.txt"), 4, 1, false);
        try (Model model = Model.newInstance("test");
                TextTokenizer tokenizer = ModelDirectory.tokenizer(lm)) {
            model.setBlock(
                    ModelDirectory.newClassifier(lm, List.of("a", "b", "c"), model.getNDManager()));
            LabeledTextDataset data = data(tokenizer, train).setSampling(2, true).build();
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    ClassifierTrainer.builder()
                                            .setModel(model)
                                            .setTokenizer(tokenizer)
                                            .setData(data, data, 2)
                                            .setOutput(tmp.resolve("out"))
                                            .build());
            assertTrue(
                    e.getMessage().contains("differ from the classifier's [a, b, c]"),
                    e.getMessage());
        }
    }

    @Test
    void bucketsHoldTextsOfSimilarLengthAndCoverEveryExampleOnce(@TempDir Path tmp)
            throws Exception {
        Path file = examples(tmp.resolve("a.txt"), 1000, 3, false);
        try (TextTokenizer tokenizer = CharTokenizer.fit(ALPHABET)) {
            LabeledTextDataset data =
                    data(tokenizer, file).setSampling(new LengthBucketSampler(10, true)).build();
            Engine.getInstance().setRandomSeed(5);
            List<List<Long>> first = new ArrayList<>();
            new LengthBucketSampler(10, true).sample(data).forEachRemaining(first::add);
            List<List<Long>> again = new ArrayList<>();
            new LengthBucketSampler(10, true).sample(data).forEachRemaining(again::add);
            assertNotEquals(first, again, "each epoch draws new batches");

            long[] seen = new long[1000];
            int spreadSum = 0;
            for (List<Long> batch : first) {
                assertEquals(10, batch.size());
                int min = Integer.MAX_VALUE;
                int max = 0;
                for (long i : batch) {
                    seen[(int) i]++;
                    min = Math.min(min, data.length(i));
                    max = Math.max(max, data.length(i));
                }
                spreadSum += max - min;
            }
            for (long n : seen) {
                assertEquals(1, n);
            }
            // lengths run from 5 to 16: random batches of 10 span about 9, bucketed ones about 1
            assertTrue(
                    spreadSum / (double) first.size() < 2,
                    "mean length spread " + spreadSum / (double) first.size());

            List<List<Long>> sorted = new ArrayList<>();
            new LengthBucketSampler(10, false).sample(data).forEachRemaining(sorted::add);
            for (int b = 1; b < sorted.size(); b++) {
                assertTrue(
                        data.length(sorted.get(b - 1).get(9)) <= data.length(sorted.get(b).get(0)));
            }
        }
    }

    @Test
    void confusionMatrixFigures() {
        ConfusionMatrix m = new ConfusionMatrix(List.of("neg", "pos"));
        // 3 neg: 2 right, 1 called pos; 5 pos: 4 right, 1 called neg
        m.add(0, 0);
        m.add(0, 0);
        m.add(0, 1);
        for (int i = 0; i < 4; i++) {
            m.add(1, 1);
        }
        m.add(1, 0);
        assertEquals(8, m.total());
        assertEquals(6 / 8.0, m.accuracy(), 1e-12);
        assertEquals(2 / 3.0, m.precision(0), 1e-12); // predicted neg: 2 of 3 right
        assertEquals(2 / 3.0, m.recall(0), 1e-12);
        assertEquals(4 / 5.0, m.precision(1), 1e-12);
        assertEquals(4 / 5.0, m.recall(1), 1e-12);
        assertEquals(0.8, m.f1(1), 1e-12);
        String table = m.format();
        assertTrue(table.startsWith("accuracy 75.00% (6 of 8)"), table);
        assertTrue(table.contains("| neg | 2 | 1 |") && table.contains("| pos | 1 | 4 |"), table);
        assertNotEquals(-1, table.indexOf("| pos | 80.00% | 80.00% | 80.00% | 5 |"), table);
    }
}
