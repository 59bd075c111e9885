package ai.spikegpt.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.spikegpt.model.SpikeGptClassifier;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.model.SpikeGptModel;
import ai.spikegpt.nn.Tensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads and saves SpikeGPT weights under the original PyTorch names ({@code emb.weight}, {@code
 * blocks.3.att.time_decay}, ...): saved as safetensors with the configuration in the file's {@code
 * __metadata__.config}, loaded from any {@link TensorSource} (safetensors, or a PyTorch checkpoint
 * through {@link ai.spikegpt.io.torch.CheckpointImport}). Every name and shape is checked against
 * the configuration, and a mismatch names the tensor, what was expected and what was found.
 */
public final class ModelIO {

    /** The metadata key holding the configuration JSON. */
    public static final String CONFIG_KEY = "config";

    private static final Pattern BLOCK = Pattern.compile("^blocks\\.(\\d+)\\.");

    private ModelIO() {}

    /**
     * Returns the configuration for a weights file: the given one, or the file's metadata.
     *
     * @param weights the opened file
     * @param config a configuration to use instead of the file's, or null
     * @return the configuration
     * @throws IllegalArgumentException if neither exists or the metadata is invalid
     */
    public static SpikeGptConfig config(TensorSource weights, SpikeGptConfig config) {
        if (config != null) {
            return config;
        }
        String json = weights.metadata().get(CONFIG_KEY);
        if (json == null) {
            throw new IllegalArgumentException(
                    weights.origin()
                            + " has no __metadata__.config: give the configuration (--config config.json)");
        }
        try {
            return SpikeGptConfig.fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    weights.origin() + " __metadata__.config: " + e.getMessage(), e);
        }
    }

    /**
     * Loads a language model; {@code classifier.*} tensors in the file are ignored.
     *
     * @param file the safetensors file
     * @param config the configuration, or null to read the file's metadata
     * @param manager the manager that owns the parameters
     * @return the initialised model
     * @throws IOException if the file cannot be read
     */
    public static SpikeGptModel loadLanguageModel(
            Path file, SpikeGptConfig config, NDManager manager) throws IOException {
        return loadLanguageModel(Safetensors.open(file), config, manager);
    }

    /**
     * Loads a language model from tensors of any format; {@code classifier.*} tensors are ignored.
     *
     * @param weights the tensors
     * @param config the configuration, or null to read the source's metadata
     * @param manager the manager that owns the parameters
     * @return the initialised model
     * @throws IllegalArgumentException if a tensor is missing, unexpected or mis-shaped
     */
    public static SpikeGptModel loadLanguageModel(
            TensorSource weights, SpikeGptConfig config, NDManager manager) {
        SpikeGptModel model = new SpikeGptModel(config(weights, config));
        assign(model.namedParameters(), weights, model.getConfig(), true);
        model.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
        return model;
    }

    /**
     * Loads a classifier: the language model's tensors and {@code classifier.weight/.bias}.
     *
     * @param file the safetensors file
     * @param config the configuration (with {@code n_classes}), or null to read the metadata
     * @param manager the manager that owns the parameters
     * @return the initialised classifier
     * @throws IOException if the file cannot be read
     */
    public static SpikeGptClassifier loadClassifier(
            Path file, SpikeGptConfig config, NDManager manager) throws IOException {
        return loadClassifier(Safetensors.open(file), config, manager);
    }

    /**
     * Loads a classifier from tensors of any format.
     *
     * @param weights the tensors
     * @param config the configuration (with {@code n_classes}), or null to read the metadata
     * @param manager the manager that owns the parameters
     * @return the initialised classifier
     * @throws IllegalArgumentException if a tensor is missing, unexpected or mis-shaped
     */
    public static SpikeGptClassifier loadClassifier(
            TensorSource weights, SpikeGptConfig config, NDManager manager) {
        SpikeGptClassifier classifier = new SpikeGptClassifier(config(weights, config));
        assign(classifier.namedParameters(), weights, classifier.getConfig(), false);
        classifier.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
        return classifier;
    }

    /**
     * Starts a classifier from a language model: the model's tensors from the source, a new
     * classification head with PyTorch's default initialisation ({@code classifier.*} tensors in
     * the source are ignored). This is where fine-tuning for classification begins.
     *
     * @param weights the language model's tensors
     * @param config the language model's configuration with the labels to learn ({@code n_classes
     *     >= 2})
     * @param manager the manager that owns the parameters
     * @return the initialised classifier
     * @throws IllegalArgumentException if a tensor is missing, unexpected or mis-shaped
     */
    public static SpikeGptClassifier newClassifier(
            TensorSource weights, SpikeGptConfig config, NDManager manager) {
        SpikeGptClassifier classifier = new SpikeGptClassifier(config(weights, config));
        assign(classifier.getModel().namedParameters(), weights, classifier.getConfig(), true);
        classifier.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
        return classifier;
    }

    /**
     * Makes every parameter take its value from the file when the block is initialised.
     *
     * @param params the block's parameters by original name (uninitialised)
     * @param weights the file
     * @param config the configuration, for messages
     * @param ignoreClassifier whether {@code classifier.*} tensors may be present and unused
     */
    static void assign(
            Map<String, Parameter> params,
            TensorSource weights,
            SpikeGptConfig config,
            boolean ignoreClassifier) {
        check(params, weights, config, ignoreClassifier);
        for (Map.Entry<String, Parameter> p : params.entrySet()) {
            String name = p.getKey();
            Shape stored = weights.shapes().get(name);
            p.getValue()
                    .setInitializer(
                            (manager, shape, dataType) -> {
                                if (!shape.equals(stored)) {
                                    throw new IllegalArgumentException(
                                            "tensor '"
                                                    + name
                                                    + "' has shape "
                                                    + stored
                                                    + ", expected "
                                                    + shape);
                                }
                                NDArray array =
                                        Tensors.fromJava(
                                                manager, finiteFloats(weights, name), stored);
                                return dataType == DataType.FLOAT32
                                        ? array
                                        : array.toType(dataType, false);
                            });
        }
    }

    /**
     * Checks tensors against a language model's configuration as {@link #loadLanguageModel} does
     * (every name, shape and dtype; {@code classifier.*} tensors are ignored), without creating an
     * NDArray or starting an engine: for the pure-Java engine, which reads the values itself
     * (through {@link #finiteFloats}).
     *
     * @param weights the tensors
     * @param config the configuration
     * @throws IllegalArgumentException if a tensor is missing, unexpected or mis-shaped
     */
    public static void checkLanguageModel(TensorSource weights, SpikeGptConfig config) {
        check(new SpikeGptModel(config).namedParameters(), weights, config, true);
    }

    /**
     * Checks tensors against a classifier's configuration as {@link #loadClassifier} does, without
     * creating an NDArray or starting an engine.
     *
     * @param weights the tensors
     * @param config the configuration (with {@code n_classes})
     * @throws IllegalArgumentException if a tensor is missing, unexpected or mis-shaped
     */
    public static void checkClassifier(TensorSource weights, SpikeGptConfig config) {
        check(new SpikeGptClassifier(config).namedParameters(), weights, config, false);
    }

    private static void check(
            Map<String, Parameter> params,
            TensorSource weights,
            SpikeGptConfig config,
            boolean ignoreClassifier) {
        Map<String, Shape> shapes = weights.shapes();
        for (String name : shapes.keySet()) {
            if (!params.containsKey(name)
                    && !(ignoreClassifier && name.startsWith("classifier."))) {
                throw new IllegalArgumentException(
                        weights.origin()
                                + " has tensor '"
                                + name
                                + "' that "
                                + config
                                + " has no place for; "
                                + describe(weights)
                                + ". Check that the configuration matches the weights.");
            }
        }
        for (Map.Entry<String, Parameter> p : params.entrySet()) {
            String name = p.getKey();
            Parameter parameter = p.getValue();
            Shape stored = shapes.get(name);
            if (stored == null) {
                throw new IllegalArgumentException(
                        weights.origin()
                                + " lacks tensor '"
                                + name
                                + "' that "
                                + config
                                + " needs; "
                                + describe(weights)
                                + ". Check that the configuration matches the weights.");
            }
            Shape expected = expectedShape(parameter, name, config);
            if (expected != null && !expected.equals(stored)) {
                throw new IllegalArgumentException(
                        "tensor '"
                                + name
                                + "' in "
                                + weights.origin()
                                + " has shape "
                                + stored
                                + " but "
                                + config
                                + " expects "
                                + expected);
            }
            if (!FloatCodec.isFloat(weights.dtype(name))) {
                throw new IllegalArgumentException(
                        "tensor '"
                                + name
                                + "' in "
                                + weights.origin()
                                + " is "
                                + weights.dtype(name)
                                + "; weights must be floating point (F32, F16, BF16 or F64)");
            }
        }
    }

    /**
     * Reads a tensor and refuses NaN or infinite values: a model with them answers NaN to every
     * input, so the user learns which tensor is damaged at load instead of from a NaN probability.
     *
     * @param weights the tensors
     * @param name the tensor name
     * @return the values as float32, row-major
     * @throws IllegalArgumentException naming the tensor and index of a NaN or infinite value
     */
    public static float[] finiteFloats(TensorSource weights, String name) {
        float[] values = weights.floats(name);
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(
                        "tensor '"
                                + name
                                + "' in "
                                + weights.origin()
                                + " holds "
                                + values[i]
                                + " at index "
                                + i
                                + ": the weights are damaged (a diverged training run "
                                + "or a broken file); retrain, or load an earlier checkpoint");
            }
        }
        return values;
    }

    /** The shape a parameter must have, from its declared shape or the configuration. */
    private static Shape expectedShape(Parameter parameter, String name, SpikeGptConfig config) {
        if (parameter.getShape() != null) {
            return parameter.getShape();
        }
        int c = config.getEmbeddingSize();
        int h = config.getFfnHiddenSize();
        if (name.endsWith("ffn.key.weight")) {
            return new Shape(h, c);
        } else if (name.endsWith("ffn.value.weight")) {
            return new Shape(c, h);
        } else if (name.equals("head.weight")) {
            return new Shape(config.getVocabSize(), c);
        } else if (name.equals("classifier.weight")) {
            return new Shape(config.getClasses(), c);
        } else if (name.equals("classifier.bias")) {
            return new Shape(config.getClasses());
        } else if (name.endsWith(".weight") && (name.contains(".att.") || name.contains(".ffn."))) {
            return new Shape(c, c);
        } else if (name.endsWith(".weight") || name.endsWith(".bias")) {
            return new Shape(c); // LayerNorms
        }
        return null;
    }

    /** Summarises what a file holds, to help the user see which configuration it belongs to. */
    private static String describe(TensorSource weights) {
        TreeSet<Integer> blocks = new TreeSet<>();
        for (String name : weights.shapes().keySet()) {
            Matcher m = BLOCK.matcher(name);
            if (m.find()) {
                blocks.add(Integer.parseInt(m.group(1)));
            }
        }
        Shape emb = weights.shapes().get("emb.weight");
        return "the file holds "
                + blocks.size()
                + " blocks"
                + (emb == null ? "" : " and emb.weight " + emb + " (vocab_size, n_embd)");
    }

    /**
     * Saves a model's or classifier's parameters with the configuration in the metadata.
     *
     * @param params the parameters by original name (e.g. {@link SpikeGptModel#namedParameters()})
     * @param config the configuration
     * @param file the file to write
     * @param storage float32 or float16
     * @param extraMetadata more metadata strings, or null
     * @throws IOException if the file cannot be written
     */
    public static void save(
            Map<String, Parameter> params,
            SpikeGptConfig config,
            Path file,
            DataType storage,
            Map<String, String> extraMetadata)
            throws IOException {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        params.forEach((name, p) -> arrays.put(name, p.getArray()));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(CONFIG_KEY, config.toJson());
        metadata.put("format", "spikegpt-djl");
        if (extraMetadata != null) {
            metadata.putAll(extraMetadata);
        }
        Safetensors.write(file, arrays, metadata, storage);
    }

    /**
     * Returns the named parameters of a SpikeGPT block.
     *
     * @param block a {@link SpikeGptModel} or {@link SpikeGptClassifier}
     * @return the parameters by original name
     */
    public static Map<String, Parameter> namedParameters(AbstractBlock block) {
        if (block instanceof SpikeGptModel) {
            return ((SpikeGptModel) block).namedParameters();
        } else if (block instanceof SpikeGptClassifier) {
            return ((SpikeGptClassifier) block).namedParameters();
        }
        throw new IllegalArgumentException("not a SpikeGPT block: " + block.getClass().getName());
    }
}
