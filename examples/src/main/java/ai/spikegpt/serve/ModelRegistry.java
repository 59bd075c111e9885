package ai.spikegpt.serve;

import ai.djl.Application;
import ai.djl.MalformedModelException;
import ai.djl.modality.Classifications;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.translator.SpikeGptTranslatorFactory;
import ai.spikegpt.zoo.SpikeGptModelZoo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The served models by name. {@link #load} reads a model directory: a configuration with class
 * labels makes a classifier (with a {@link ClassifierBatcher} whose workers each own a predictor),
 * any other a language model. Closing the registry closes every model after its queued work.
 */
public final class ModelRegistry implements AutoCloseable {

    private final Map<String, ServedModel> models = new LinkedHashMap<>();

    /**
     * Adds a model.
     *
     * @param model the model
     * @throws IllegalArgumentException if the name is taken
     */
    public synchronized void add(ServedModel model) {
        if (models.containsKey(model.name())) {
            throw new IllegalArgumentException(
                    "two models are named "
                            + model.name()
                            + ": serve each model once (a directory is named by its last path element)");
        }
        models.put(model.name(), model);
    }

    /**
     * Loads a model directory and adds it.
     *
     * @param name the name in {@code /predictions/{name}}
     * @param dir the model directory
     * @param options batching, workers and queue
     * @throws IOException if the directory cannot be read
     * @throws ModelNotFoundException if DJL finds no model there
     * @throws MalformedModelException if the weights are damaged
     */
    public void load(String name, Path dir, ServerOptions options)
            throws IOException, ModelNotFoundException, MalformedModelException {
        SpikeGptConfig config = ModelDirectory.config(dir);
        Optional<Application> zooApplication = zooApplication(name);
        if (config.getClasses() > 0) {
            ZooModel<String, Classifications> model =
                    criteria(Classifications.class, dir, options).loadModel();
            ClassifierBatcher batcher =
                    new ClassifierBatcher(name, () -> BatchClassifier.of(model), options);
            add(
                    new ServedClassifier(
                            name,
                            zooApplication.orElse(Application.NLP.TEXT_CLASSIFICATION),
                            config.getLabels(),
                            batcher,
                            model));
        } else {
            ZooModel<String, String> model = criteria(String.class, dir, options).loadModel();
            add(
                    new ServedLanguageModel(
                            name,
                            zooApplication.orElse(Application.NLP.TEXT_GENERATION),
                            model,
                            ModelDirectory.tokenizer(dir),
                            options));
        }
    }

    private static Optional<Application> zooApplication(String name) {
        try {
            return Optional.of(SpikeGptModelZoo.application(name));
        } catch (IllegalArgumentException notInTheZoo) {
            return Optional.empty();
        }
    }

    /**
     * The DJL criteria for a model directory, with the server's model arguments. The translator
     * factory is named because DJL picks one before it reads the directory's {@code
     * serving.properties}.
     */
    private static <O> Criteria<String, O> criteria(
            Class<O> output, Path dir, ServerOptions options) {
        Criteria.Builder<String, O> builder =
                Criteria.builder()
                        .setTypes(String.class, output)
                        .optModelPath(dir)
                        .optEngine("PyTorch")
                        .optTranslatorFactory(new SpikeGptTranslatorFactory());
        options.getModelArguments().forEach(builder::optArgument);
        return builder.build();
    }

    /**
     * @param name a model's name
     * @return the model, if served
     */
    public synchronized Optional<ServedModel> get(String name) {
        return Optional.ofNullable(models.get(name));
    }

    /**
     * @return every model, in the order added
     */
    public synchronized Collection<ServedModel> all() {
        return List.copyOf(models.values());
    }

    /** Closes every model (each finishes its queued work first). */
    @Override
    public synchronized void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (ServedModel model : models.values()) {
            try {
                model.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        models.clear();
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }
}
