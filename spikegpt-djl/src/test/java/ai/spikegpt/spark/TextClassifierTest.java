package ai.spikegpt.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.ZooModel;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.model.SpikeGptClassifier;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.tokenizer.CharTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transformer's schema checks and parameters, and a partition classified without Spark: rows in
 * their order across windows, nulls and blanks unanswered, every answer the {@code Predictor}'s (a
 * tiny untrained character-level classifier).
 */
class TextClassifierTest {

    private static final String ALPHABET = "ABCDEVWXYZ .";

    private static final StructType INPUT =
            new StructType()
                    .add("id", DataTypes.IntegerType, false)
                    .add("text", DataTypes.StringType, true);

    static Path classifier(Path dir) throws Exception {
        SpikeGptConfig config =
                SpikeGptConfig.builder()
                        .setVocabSize(ALPHABET.length())
                        .setEmbeddingSize(16)
                        .setLayers(1)
                        .optContextLength(32)
                        .optLabels(List.of("neg", "pos"))
                        .build();
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            SpikeGptClassifier model = new SpikeGptClassifier(config);
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 1), new Shape(1, 1));
            ModelDirectory.save(
                    dir, model, config, CharTokenizer.fit(ALPHABET), DataType.FLOAT32, null);
        }
        return dir;
    }

    @Test
    void theOutputSchemaAddsTheAnswerStruct() {
        StructType out = new TextClassifier().transformSchema(INPUT);
        assertEquals(3, out.fields().length);
        assertEquals(TextClassifier.ANSWER, out.apply(TextClassifier.DEFAULT_OUTPUT).dataType());
        TextClassifier renamed = new TextClassifier().setOutputCol("mood").setBatchSize(8);
        TextClassifier copy = renamed.copy(ParamMap.empty());
        assertEquals(renamed.uid(), copy.uid());
        assertEquals(8, copy.getOrDefault(copy.batchSize()));
        assertTrue(List.of(copy.transformSchema(INPUT).fieldNames()).contains("mood"));
    }

    @Test
    void aMissingNonTextOrTakenColumnIsRefused() {
        String missing =
                assertThrows(
                                IllegalArgumentException.class,
                                () ->
                                        new TextClassifier()
                                                .setInputCol("review")
                                                .transformSchema(INPUT))
                        .getMessage();
        assertEquals(
                "the input has no text column 'review' (it has id, text): name the text column",
                missing);
        assertThrows(
                IllegalArgumentException.class,
                () -> new TextClassifier().setInputCol("id").transformSchema(INPUT));
        assertThrows(
                IllegalArgumentException.class,
                () -> new TextClassifier().setOutputCol("text").transformSchema(INPUT));
        assertThrows(IllegalArgumentException.class, () -> new TextClassifier().setBatchSize(0));
    }

    @Test
    void aPartitionComesBackInOrderWithThePredictorsAnswers(@TempDir Path tmp) throws Exception {
        Path dir = classifier(tmp.resolve("classifier"));
        Random random = new Random(3);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            String text;
            if (i % 37 == 5) {
                text = i % 2 == 0 ? null : "  ";
            } else {
                StringBuilder s = new StringBuilder();
                for (int n = 1 + random.nextInt(40); n > 0; n--) {
                    s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length() - 2)));
                }
                text = s.toString();
            }
            rows.add(RowFactory.create(i, text));
        }
        // batches of 2: 128-row windows, so the partition is read in two
        Iterator<Row> out = new PartitionClassifier(dir.toString(), 1, 2).call(rows.iterator());
        try (ZooModel<String, Classifications> model =
                        ClassifierModels.criteria(dir.toString()).loadModel();
                Predictor<String, Classifications> predictor = model.newPredictor()) {
            int i = 0;
            for (; out.hasNext(); i++) {
                Row row = out.next();
                assertEquals(i, row.getInt(0));
                String text = row.getString(1);
                if (text == null || text.isBlank()) {
                    assertNull(row.get(2), "row " + i);
                    continue;
                }
                Classifications want = predictor.predict(text);
                Row answer = row.getStruct(2);
                assertEquals(want.best().getClassName(), answer.getString(0), text);
                for (String label : List.of("neg", "pos")) {
                    assertEquals(
                            want.get(label).getProbability(),
                            (double) answer.<String, Double>getJavaMap(2).get(label),
                            1e-6,
                            text);
                }
            }
            assertEquals(rows.size(), i);
        }
    }
}
