package ai.spikegpt.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Application;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.spikegpt.model.SpikeGptClassifier;
import ai.spikegpt.model.SpikeGptModel;
import ai.spikegpt.tokenizer.TextTokenizer;
import ai.spikegpt.training.ConfusionMatrix;
import ai.spikegpt.training.LabeledTextDataset;
import ai.spikegpt.training.LanguageModelEvaluation;
import ai.spikegpt.training.TextCorpus;
import ai.spikegpt.training.TokenWindowDataset;
import ai.spikegpt.zoo.SpikeGptModelZoo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The model zoo as a user meets it: every artifact found through DJL's {@code Criteria} by
 * application and artifact id, from the classpath, offline; the sentiment model scored on SST-2's
 * test set; and fine-tuned through a DJL {@code Trainer}.
 */
class ModelZooIT {

    /**
     * The least SST-2 test accuracy the shipped sentiment model may have (the bar is 0.82).
     */
    private static final double MIN_SST2_ACCURACY = 0.75;

    /**
     * An upper bound on spikegpt-prose's bits per character on Tiny Shakespeare's first validation
     * windows.
     */
    private static final double PROSE_SHAKESPEARE_BPC = 2.5;

    private static <I, O> Criteria<I, O> criteria(
            Class<I> in, Class<O> out, Application application, String artifact) {
        return Criteria.builder()
                .setTypes(in, out)
                .optApplication(application)
                .optGroupId(SpikeGptModelZoo.GROUP_ID)
                .optArtifactId(artifact)
                .build();
    }

    /** A figure the artifact publishes in its metadata (measured by its recipe). */
    private static double published(String artifact, String property) throws IOException {
        String value =
                ModelZoo.getModelZoo(SpikeGptModelZoo.GROUP_ID)
                        .getModelLoader(artifact)
                        .getMrl()
                        .getDefaultArtifact()
                        .getProperties()
                        .get(property);
        assertNotNull(value, artifact + "'s metadata has no " + property);
        return Double.parseDouble(value);
    }

    /** Classifies a labelled file (length-sorted batches: less padding) and counts the answers. */
    private static ConfusionMatrix score(
            Predictor<String, Classifications> predictor, Path file, int size) throws Exception {
        List<LabeledTextDataset.Example> examples = new ArrayList<>(LabeledTextDataset.read(file));
        assertEquals(size, examples.size(), file.toString());
        examples.sort(Comparator.comparingInt(e -> e.text().length()));
        List<String> labels = List.of("negative", "positive");
        ConfusionMatrix matrix = new ConfusionMatrix(labels);
        for (int from = 0; from < examples.size(); from += 64) {
            List<LabeledTextDataset.Example> chunk =
                    examples.subList(from, Math.min(examples.size(), from + 64));
            List<Classifications> results =
                    predictor.batchPredict(
                            chunk.stream().map(LabeledTextDataset.Example::text).toList());
            for (int i = 0; i < chunk.size(); i++) {
                assertEquals(labels, results.get(i).getClassNames().stream().sorted().toList());
                matrix.add(
                        LabeledTextDataset.labelIndex(chunk.get(i).label(), labels),
                        labels.indexOf(results.get(i).best().getClassName()));
            }
        }
        return matrix;
    }

    /** Text generation from a zoo language model, {@code tokens} tokens with sampling seed 7. */
    private static <O> Criteria<String, O> generation(Class<O> out, String artifact, int tokens) {
        return Criteria.builder()
                .setTypes(String.class, out)
                .optApplication(Application.NLP.TEXT_GENERATION)
                .optGroupId(SpikeGptModelZoo.GROUP_ID)
                .optArtifactId(artifact)
                .optArgument("maxNewTokens", tokens)
                .optArgument("seed", 7)
                .build();
    }

    @Test
    void theZooIsRegisteredWithDjl() {
        ModelZoo zoo = ModelZoo.getModelZoo(SpikeGptModelZoo.GROUP_ID);
        assertTrue(zoo instanceof SpikeGptModelZoo, "found through META-INF/services");
        List<String> ids = new ArrayList<>();
        zoo.getModelLoaders().forEach(l -> ids.add(l.getArtifactId()));
        // DJL keeps its loaders in a hash map: the order carries no meaning
        ids.sort(null);
        assertEquals(
                List.of(
                        SpikeGptModelZoo.CHARACTERS,
                        SpikeGptModelZoo.PROSE,
                        SpikeGptModelZoo.SENTIMENT),
                ids);
    }

    @Test
    void generatesFromBothLanguageModels() throws Exception {
        for (String artifact : List.of(SpikeGptModelZoo.CHARACTERS, SpikeGptModelZoo.PROSE)) {
            String prompt = artifact.equals(SpikeGptModelZoo.PROSE) ? "Fellow citizens," : "ROMEO:";
            String first;
            try (ZooModel<String, String> model =
                            generation(String.class, artifact, 40).loadModel();
                    Predictor<String, String> predictor = model.newPredictor()) {
                first = predictor.predict(prompt);
                assertEquals(
                        first,
                        predictor.predict(prompt),
                        artifact + ": the same seed gives the same text");
            }
            assertTrue(first.length() >= 20, artifact + " generated: " + first);
            assertFalse(first.isBlank());

            // the streaming translator yields the same text piece by piece, as the tokens come
            try (ZooModel<String, Iterator> model =
                            generation(Iterator.class, artifact, 40).loadModel();
                    Predictor<String, Iterator> predictor = model.newPredictor()) {
                StringBuilder pieces = new StringBuilder();
                int count = 0;
                for (Iterator<?> it = predictor.streamingPredict(prompt).getIterativeOutput();
                        it.hasNext();
                        count++) {
                    pieces.append(it.next());
                }
                assertEquals(first, pieces.toString(), artifact);
                assertTrue(count > 1, "streamed in pieces");
            }
        }
    }

    /**
     * Bits per character of a zoo language model on Tiny Shakespeare's validation part (the first
     * windows, or all).
     */
    private static double tinyShakespeareBpc(String artifact, long windows) throws Exception {
        TextCorpus corpus =
                TextCorpus.read(
                        TrainAndGenerateIT.shared().resolve("data/tinyshakespeare/input.txt"), 0.9);
        try (ZooModel<String, String> model = generation(String.class, artifact, 1).loadModel();
                TextTokenizer tokenizer = TextTokenizer.load(model.getModelPath())) {
            SpikeGptModel lm = (SpikeGptModel) model.getBlock();
            TokenWindowDataset data =
                    TokenWindowDataset.builder()
                            .setTokens(TextCorpus.encode(corpus.validation(), tokenizer))
                            .setWindow(lm.getConfig().getContextLength())
                            .optMode(TokenWindowDataset.Mode.CONTIGUOUS)
                            .setSampling(16, false)
                            .build();
            return LanguageModelEvaluation.evaluate(
                            lm,
                            new ParameterStore(model.getNDManager(), false),
                            data,
                            tokenizer,
                            16,
                            windows,
                            null)
                    .bitsPerCharacter();
        }
    }

    @Test
    void theLanguageModelsScoreWhatTheyPublish() throws Exception {
        // the char model's recipe measured its BPC on this very text in float32; the zoo's float16
        // weights must give the same, and the prose model must know Shakespeare, which it read
        assertEquals(
                published(SpikeGptModelZoo.CHARACTERS, "val_bpc"),
                tinyShakespeareBpc(SpikeGptModelZoo.CHARACTERS, 0),
                0.03,
                "validation BPC");
        double prose = tinyShakespeareBpc(SpikeGptModelZoo.PROSE, 40);
        assertTrue(
                prose < PROSE_SHAKESPEARE_BPC,
                "spikegpt-prose on Tiny Shakespeare: " + prose + " bits per character");
    }

    @Test
    void repeatedPredictionsLeaveNothingBehind() throws Exception {
        try (ZooModel<String, Classifications> model =
                        criteria(
                                        String.class,
                                        Classifications.class,
                                        Application.NLP.SENTIMENT_ANALYSIS,
                                        SpikeGptModelZoo.SENTIMENT)
                                .loadModel();
                Predictor<String, Classifications> predictor = model.newPredictor()) {
            int[] counts = new int[6];
            for (int round = 0; round < counts.length; round++) {
                predictor.predict("a quiet , lovely film about growing old .");
                predictor.batchPredict(
                        List.of(
                                "dull .",
                                "an utterly charming and hilarious film about nothing much ."));
                counts[round] = model.getNDManager().getManagedArrays().size();
            }
            assertEquals(counts[1], counts[5], "arrays held by the model after rounds 2 and 6");
        }
        try (ZooModel<String, String> model =
                        generation(String.class, SpikeGptModelZoo.CHARACTERS, 20).loadModel();
                Predictor<String, String> predictor = model.newPredictor()) {
            int[] counts = new int[6];
            for (int round = 0; round < counts.length; round++) {
                predictor.predict("KING:");
                counts[round] = model.getNDManager().getManagedArrays().size();
            }
            assertEquals(counts[1], counts[5], "arrays held by the model after rounds 2 and 6");
        }
    }

    @Test
    void theSentimentModelMeetsTheQualityBarOnSst2TestAndReviews() throws Exception {
        Path shared = TrainAndGenerateIT.shared();
        try (ZooModel<String, Classifications> model =
                        criteria(
                                        String.class,
                                        Classifications.class,
                                        Application.NLP.SENTIMENT_ANALYSIS,
                                        SpikeGptModelZoo.SENTIMENT)
                                .loadModel();
                Predictor<String, Classifications> predictor = model.newPredictor()) {
            ConfusionMatrix sst2 =
                    score(predictor, shared.resolve("data/sst2/stsa.binary.test"), 1821);
            System.out.println(
                    "SST-2 test with " + SpikeGptModelZoo.SENTIMENT + ":\n" + sst2.format());
            ConfusionMatrix reviews =
                    score(predictor, shared.resolve("data/review-sentences/dev.txt"), 1500);
            System.out.println(
                    "review sentences (dev) with "
                            + SpikeGptModelZoo.SENTIMENT
                            + ":\n"
                            + reviews.format());
            // the artifact publishes the accuracies its recipe measured: the zoo's model, its fp16
            // weights and the translator together must reproduce them
            assertEquals(
                    published(SpikeGptModelZoo.SENTIMENT, "sst2_test_accuracy"),
                    100 * sst2.accuracy(),
                    0.2,
                    "SST-2 test accuracy (%)");
            assertEquals(
                    published(SpikeGptModelZoo.SENTIMENT, "review_dev_accuracy"),
                    100 * reviews.accuracy(),
                    0.2,
                    "review sentences dev accuracy (%)");
            assertTrue(
                    sst2.accuracy() >= MIN_SST2_ACCURACY, "SST-2 test accuracy " + sst2.accuracy());

            // typed text is normalised the way SST is written
            assertEquals(
                    "positive",
                    predictor.predict("A gorgeous, witty, seductive movie.").best().getClassName());
            assertEquals(
                    "negative",
                    predictor
                            .predict("The plot is dull and the acting is dreadful.")
                            .best()
                            .getClassName());
        }
    }

    @Test
    void fineTuningTheSentimentModelThroughATrainerChangesItsPredictions() throws Exception {
        // a few sentences, each with the label the model does not give it: training must move them
        List<String> texts =
                List.of(
                        "a gorgeous , witty , seductive movie .",
                        "the plot is dull and the acting is dreadful .",
                        "an utterly charming and hilarious film .",
                        "a tedious , joyless waste of time .");
        try (ZooModel<String, Classifications> model =
                        criteria(
                                        String.class,
                                        Classifications.class,
                                        Application.NLP.SENTIMENT_ANALYSIS,
                                        SpikeGptModelZoo.SENTIMENT)
                                .loadModel();
                Predictor<String, Classifications> predictor = model.newPredictor();
                TextTokenizer tokenizer = TextTokenizer.load(model.getModelPath())) {
            List<String> labels = ((SpikeGptClassifier) model.getBlock()).getConfig().getLabels();
            List<LabeledTextDataset.Example> flipped = new ArrayList<>();
            double[] before = new double[texts.size()];
            for (int i = 0; i < texts.size(); i++) {
                Classifications c = predictor.predict(texts.get(i));
                String other = labels.get(1 - labels.indexOf(c.best().getClassName()));
                flipped.add(new LabeledTextDataset.Example(other, texts.get(i), i + 1));
                before[i] = c.get(other).getProbability();
            }
            LabeledTextDataset data =
                    LabeledTextDataset.builder()
                            .setTokenizer(tokenizer)
                            .setLabels(labels)
                            .optExamples(flipped, "flipped labels")
                            .setSampling(texts.size(), false)
                            .build();
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(Tracker.fixed(1e-3f))
                                            .build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, 1), new Shape(1, 1));
                for (int step = 0; step < 5; step++) {
                    for (Batch batch : trainer.iterateDataset(data)) {
                        EasyTrain.trainBatch(trainer, batch);
                        trainer.step();
                        batch.close();
                    }
                }
            }
            for (int i = 0; i < texts.size(); i++) {
                double after =
                        predictor
                                .predict(texts.get(i))
                                .get(flipped.get(i).label())
                                .getProbability();
                assertTrue(
                        after > before[i] + 0.05,
                        texts.get(i)
                                + ": p("
                                + flipped.get(i).label()
                                + ") "
                                + before[i]
                                + " -> "
                                + after);
            }
        }
    }

    @Test
    void aClassifierStartsFromTheProseModelWithTheLabelsArgument() throws IOException, Exception {
        Criteria<String, Classifications> criteria =
                Criteria.builder()
                        .setTypes(String.class, Classifications.class)
                        .optGroupId(SpikeGptModelZoo.GROUP_ID)
                        .optArtifactId(SpikeGptModelZoo.PROSE)
                        .optArgument("labels", "sad,happy,neutral")
                        .build();
        try (ZooModel<String, Classifications> model = criteria.loadModel();
                Predictor<String, Classifications> predictor = model.newPredictor()) {
            Model m = model;
            SpikeGptClassifier classifier = (SpikeGptClassifier) m.getBlock();
            assertEquals(List.of("sad", "happy", "neutral"), classifier.getConfig().getLabels());
            Classifications c = predictor.predict("What a day.");
            assertEquals(
                    List.of("happy", "neutral", "sad"),
                    c.getClassNames().stream().sorted().toList());
            double total =
                    c.items().stream()
                            .mapToDouble(Classifications.Classification::getProbability)
                            .sum();
            assertEquals(1.0, total, 1e-5);
            assertNotEquals(0.0, c.best().getProbability());
        }
    }
}
