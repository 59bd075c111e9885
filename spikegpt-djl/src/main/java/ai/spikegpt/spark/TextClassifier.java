package ai.spikegpt.spark;

import java.util.Arrays;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@code Transformer} that classifies a text column with a SpikeGPT classifier: it adds
 * a column (default {@value #DEFAULT_OUTPUT}) holding the struct
 *
 * <pre>
 *   label          string               the most probable class
 *   probability    double               its probability
 *   probabilities  map&lt;string,double&gt;  every class's probability, in the model's label order
 * </pre>
 *
 * or null where the text is null or blank. The answers are those of the model's DJL {@code
 * Predictor} ({@link ClassifierModels#criteria}): the same translator and block, batched the same
 * way.
 *
 * <pre>{@code
 * Dataset<Row> classified = new TextClassifier()
 *         .setModel("spikegpt-sst2")        // a zoo id, a model directory or a URL
 *         .setInputCol("text")
 *         .transform(reviews);
 * classified.select("text", "sentiment.label", "sentiment.probabilities.positive").show();
 * }</pre>
 *
 * <p>Each executor loads the model once and shares it between its tasks; a partition is read a
 * window at a time and classified in length-sorted batches of {@link #batchSize()} texts, each
 * batch's native memory freed when it is done ({@link PartitionClassifier}).
 */
public final class TextClassifier extends Transformer {

    private static final long serialVersionUID = 1L;

    /** The output column's default name. */
    public static final String DEFAULT_OUTPUT = "sentiment";

    /** The struct the output column holds. */
    public static final StructType ANSWER =
            new StructType(
                    new StructField[] {
                        DataTypes.createStructField("label", DataTypes.StringType, false),
                        DataTypes.createStructField("probability", DataTypes.DoubleType, false),
                        DataTypes.createStructField(
                                "probabilities",
                                DataTypes.createMapType(
                                        DataTypes.StringType, DataTypes.DoubleType, false),
                                false)
                    });

    private final String uid;
    private final Param<String> model;
    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private final IntParam batchSize;

    /** A classifier with a random uid: model {@code spikegpt-sst2}, columns text and sentiment. */
    public TextClassifier() {
        this(Identifiable$.MODULE$.randomUID("spikegpt"));
    }

    /**
     * @param uid the stage's unique id
     */
    public TextClassifier(String uid) {
        this.uid = uid;
        model =
                new Param<>(
                        this,
                        "model",
                        "the classifier: a zoo artifact id, a model directory or a URL every executor can read");
        inputCol = new Param<>(this, "inputCol", "the text column");
        outputCol = new Param<>(this, "outputCol", "the column the answer is written to");
        batchSize =
                new IntParam(this, "batchSize", "texts per forward pass", ParamValidators.gtEq(1));
        setDefault(model, "spikegpt-sst2");
        setDefault(inputCol, "text");
        setDefault(outputCol, DEFAULT_OUTPUT);
        setDefault(batchSize, 32);
    }

    /**
     * @return the model parameter
     */
    public Param<String> model() {
        return model;
    }

    /**
     * @return the input column parameter
     */
    public Param<String> inputCol() {
        return inputCol;
    }

    /**
     * @return the output column parameter
     */
    public Param<String> outputCol() {
        return outputCol;
    }

    /**
     * @return the batch size parameter
     */
    public IntParam batchSize() {
        return batchSize;
    }

    /**
     * Sets the model.
     *
     * @param value a zoo artifact id, a model directory or a URL every executor can read
     * @return this
     */
    public TextClassifier setModel(String value) {
        set(model, value);
        return this;
    }

    /**
     * Sets the text column.
     *
     * @param value the column's name
     * @return this
     */
    public TextClassifier setInputCol(String value) {
        set(inputCol, value);
        return this;
    }

    /**
     * Sets the output column.
     *
     * @param value the column's name
     * @return this
     */
    public TextClassifier setOutputCol(String value) {
        set(outputCol, value);
        return this;
    }

    /**
     * Sets the batch size.
     *
     * @param value texts per forward pass
     * @return this
     */
    public TextClassifier setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType schema = transformSchema(dataset.schema());
        PartitionClassifier classify =
                new PartitionClassifier(
                        $(model),
                        dataset.schema().fieldIndex($(inputCol)),
                        ((Integer) $(batchSize)).intValue());
        return dataset.toDF().mapPartitions(classify, Encoders.row(schema));
    }

    /**
     * Checks the input schema and returns the output's.
     *
     * @param schema the input schema
     * @return the input schema with the answer column appended
     * @throws IllegalArgumentException if the text column is missing or not a string, or the output
     *     column exists
     */
    @Override
    public StructType transformSchema(StructType schema) {
        String text = $(inputCol);
        String output = $(outputCol);
        if (!Arrays.asList(schema.fieldNames()).contains(text)) {
            throw new IllegalArgumentException(
                    "the input has no text column '"
                            + text
                            + "' (it has "
                            + String.join(", ", schema.fieldNames())
                            + "): name the text column");
        }
        if (!schema.apply(text).dataType().equals(DataTypes.StringType)) {
            throw new IllegalArgumentException(
                    "the text column '"
                            + text
                            + "' holds "
                            + schema.apply(text).dataType().simpleString()
                            + ", not strings");
        }
        if (Arrays.asList(schema.fieldNames()).contains(output)) {
            throw new IllegalArgumentException(
                    "the input already has a column '"
                            + output
                            + "': choose another output column");
        }
        return schema.add(DataTypes.createStructField(output, ANSWER, true));
    }

    @Override
    public TextClassifier copy(ParamMap extra) {
        return (TextClassifier) defaultCopy(extra);
    }
}
