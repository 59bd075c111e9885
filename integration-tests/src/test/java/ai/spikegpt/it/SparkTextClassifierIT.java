package ai.spikegpt.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Application;
import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.spikegpt.spark.TextClassifier;
import ai.spikegpt.training.ConfusionMatrix;
import ai.spikegpt.training.LabeledTextDataset;
import ai.spikegpt.zoo.SpikeGptModelZoo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The Spark {@link TextClassifier} in {@code local[2]} (two executor threads sharing one loaded
 * model) on SST-2's test sentences gives the zoo {@code Predictor}'s answers: the same label for
 * every sentence, every class's probability within 1e-6, hence the same accuracy as {@code
 * eval-classifier}.
 */
class SparkTextClassifierIT {

    private static final double TOLERANCE = 1e-6;
    private static final int BATCH = 32;

    @Test
    void sparkGivesThePredictorsAnswersOnSst2Test() throws Exception {
        List<LabeledTextDataset.Example> examples =
                LabeledTextDataset.read(
                        TrainAndGenerateIT.shared().resolve("data/sst2/stsa.binary.test"));
        assertEquals(1821, examples.size());
        List<String> texts = examples.stream().map(LabeledTextDataset.Example::text).toList();
        List<Classifications> expected = predictorAnswers(texts);

        List<Row> answers;
        try (SparkSession spark =
                SparkSession.builder()
                        .master("local[2]")
                        .appName("SparkTextClassifierIT")
                        .config("spark.ui.enabled", "false")
                        .getOrCreate()) {
            StructType schema =
                    new StructType()
                            .add("id", DataTypes.IntegerType, false)
                            .add("text", DataTypes.StringType, false);
            List<Row> rows =
                    IntStream.range(0, texts.size())
                            .mapToObj(i -> RowFactory.create(i, texts.get(i)))
                            .toList();
            Dataset<Row> input = spark.createDataFrame(rows, schema);
            assertEquals(2, input.rdd().getNumPartitions(), "partitions");
            answers =
                    new TextClassifier()
                            .setModel(SpikeGptModelZoo.SENTIMENT)
                            .setInputCol("text")
                            .setBatchSize(BATCH)
                            .transform(input)
                            .orderBy("id")
                            .collectAsList();
        }

        List<String> labels = List.of("negative", "positive");
        ConfusionMatrix spark = new ConfusionMatrix(labels);
        ConfusionMatrix predictor = new ConfusionMatrix(labels);
        assertEquals(texts.size(), answers.size(), "rows");
        for (int i = 0; i < texts.size(); i++) {
            Row row = answers.get(i);
            assertEquals(i, row.getInt(0));
            Row answer = row.getStruct(2);
            Classifications want = expected.get(i);
            String where = "sentence " + (i + 1) + ": " + texts.get(i);
            assertEquals(want.best().getClassName(), answer.getString(0), where);
            assertEquals(want.best().getProbability(), answer.getDouble(1), TOLERANCE, where);
            Map<String, Double> probabilities = answer.getJavaMap(2);
            assertEquals(want.getClassNames(), new ArrayList<>(probabilities.keySet()), where);
            for (String label : labels) {
                assertEquals(
                        want.get(label).getProbability(),
                        probabilities.get(label),
                        TOLERANCE,
                        where + ", " + label);
            }
            int actual = LabeledTextDataset.labelIndex(examples.get(i).label(), labels);
            spark.add(actual, labels.indexOf(answer.getString(0)));
            predictor.add(actual, labels.indexOf(want.best().getClassName()));
        }
        System.out.println("SST-2 test on Spark local[2]:\n" + spark.format());
        assertEquals(predictor.accuracy(), spark.accuracy(), "accuracy");
        // eval-classifier's figure for the zoo's model (the 81.66%)
        assertEquals(0.8166, spark.accuracy(), 5e-5, "accuracy");
    }

    /** The zoo model's answers through DJL's Predictor, as eval-classifier batches them. */
    private static List<Classifications> predictorAnswers(List<String> texts) throws Exception {
        Criteria<String, Classifications> criteria =
                Criteria.builder()
                        .setTypes(String.class, Classifications.class)
                        .optApplication(Application.NLP.SENTIMENT_ANALYSIS)
                        .optGroupId(SpikeGptModelZoo.GROUP_ID)
                        .optArtifactId(SpikeGptModelZoo.SENTIMENT)
                        .build();
        Classifications[] answers = new Classifications[texts.size()];
        List<Integer> order =
                IntStream.range(0, texts.size())
                        .boxed()
                        .sorted(Comparator.comparingInt(i -> texts.get(i).length()))
                        .toList();
        try (ZooModel<String, Classifications> model = criteria.loadModel();
                Predictor<String, Classifications> predictor = model.newPredictor()) {
            for (int from = 0; from < order.size(); from += BATCH) {
                List<Integer> batch = order.subList(from, Math.min(order.size(), from + BATCH));
                List<Classifications> results =
                        predictor.batchPredict(batch.stream().map(texts::get).toList());
                for (int j = 0; j < batch.size(); j++) {
                    answers[batch.get(j)] = results.get(j);
                }
            }
        }
        return List.of(answers);
    }
}
