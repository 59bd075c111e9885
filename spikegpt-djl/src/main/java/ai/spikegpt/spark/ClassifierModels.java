package ai.spikegpt.spark;

import ai.djl.MalformedModelException;
import ai.djl.modality.Classifications;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.translator.SpikeGptTranslatorFactory;
import ai.spikegpt.zoo.SpikeGptModelZoo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The classifiers loaded in this JVM, one per model name, shared by every task that runs here: an
 * executor loads a model once, however many partitions it classifies. A model stays loaded for the
 * life of the JVM (an executor's), as DJL's Spark extension keeps its predictors' models; each task
 * makes its own {@code Predictor} from it, which is cheap and not shared between threads.
 *
 * <p>A model is named as on the command line: a zoo artifact id ({@code spikegpt-sst2}), a model
 * directory every executor can read, or a URL DJL can download (an archive over {@code https://},
 * {@code file://}, {@code s3://}, {@code hdfs://}, ...).
 */
public final class ClassifierModels {

    private static final Map<String, ZooModel<String, Classifications>> LOADED =
            new ConcurrentHashMap<>();

    private ClassifierModels() {}

    /**
     * Returns this JVM's classifier of a model name, loading it on first use (concurrent first uses
     * of one name wait for one load).
     *
     * @param model a zoo artifact id, a model directory or a URL
     * @return the loaded classifier
     * @throws IllegalArgumentException if the name is no model, or the model is not a classifier
     * @throws UncheckedIOException if the model cannot be read
     */
    public static ZooModel<String, Classifications> get(String model) {
        return LOADED.computeIfAbsent(model, ClassifierModels::load);
    }

    private static ZooModel<String, Classifications> load(String model) {
        try {
            return criteria(model).loadModel();
        } catch (ModelNotFoundException | MalformedModelException e) {
            throw new IllegalArgumentException(
                    "cannot load the classifier " + model + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read the classifier " + model + ": " + e.getMessage(), e);
        }
    }

    /**
     * The DJL criteria of a model name: the same translator factory and engine as the {@code
     * classify} and {@code eval-classifier} commands, so the answers are theirs.
     *
     * @param model a zoo artifact id, a model directory or a URL
     * @return the criteria
     * @throws IllegalArgumentException if the name is no model
     */
    public static Criteria<String, Classifications> criteria(String model) {
        Criteria.Builder<String, Classifications> builder =
                Criteria.builder()
                        .setTypes(String.class, Classifications.class)
                        .optEngine("PyTorch")
                        .optTranslatorFactory(new SpikeGptTranslatorFactory());
        if (model.contains("://")) {
            return builder.optModelUrls(model).build();
        }
        return builder.optModelPath(directory(model)).build();
    }

    /**
     * Resolves a model directory or a zoo artifact id to a directory on this machine.
     *
     * @param model a model directory or a zoo artifact id
     * @return the model directory
     * @throws IllegalArgumentException if the name is neither
     */
    public static Path directory(String model) {
        Path path;
        try {
            path = Paths.get(model);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("no model at " + model + ": " + e.getMessage(), e);
        }
        if (ModelDirectory.isModelDirectory(path)) {
            return path;
        }
        if (Files.exists(path)) {
            throw new IllegalArgumentException(
                    model
                            + " is not a model directory (it needs "
                            + ModelDirectory.CONFIG
                            + " and "
                            + ModelDirectory.WEIGHTS
                            + ")");
        }
        if (!model.startsWith("spikegpt-")) {
            throw new IllegalArgumentException(
                    "no model at "
                            + model
                            + ": give a model directory, a URL or a zoo artifact ("
                            + SpikeGptModelZoo.SENTIMENT
                            + ")");
        }
        SpikeGptModelZoo.application(model); // an unknown id: the zoo's message
        try {
            return SpikeGptModelZoo.modelDirectory(model);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot open zoo artifact " + model + ": " + e.getMessage(), e);
        }
    }
}
