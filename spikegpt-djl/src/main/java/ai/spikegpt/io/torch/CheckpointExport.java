package ai.spikegpt.io.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.spikegpt.io.ModelIO;
import ai.spikegpt.io.Safetensors;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.model.Variant;
import ai.spikegpt.nn.ResetMode;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives weights back to PyTorch: writes a model's language-model tensors under the original names
 * and shapes ({@code emb.weight}, {@code blocks.0.att.time_mix_k [1, 1, C]}, ...) to a safetensors
 * file that the original {@code GPT} loads with {@code load_state_dict(strict=True)}.
 *
 * <p>The original language model has no classification head, so a classifier's {@code
 * classifier.weight/.bias} go to a second file beside it, {@code <name>.classifier.safetensors}
 * ({@link #classifierFile}); merge both dictionaries to load a classifier in Python.
 *
 * <p>Metadata: {@code config} holds exactly the keys of the reference implementation's {@code
 * SpikeGPTConfig} ({@link #REFERENCE_KEYS}), so {@code spikegpt_ref.SpikeGPT.load(file)} builds the
 * model from it ({@code n_classes} is 0 in the language-model file, the head's size in the
 * classifier file); {@value CheckpointImport#FULL_CONFIG_KEY} holds this project's full
 * configuration, which {@link CheckpointImport} reads back; {@code format} is {@code pt}.
 */
public final class CheckpointExport {

    /** The configuration keys the reference implementation's {@code SpikeGPTConfig} accepts. */
    public static final List<String> REFERENCE_KEYS =
            List.of(
                    "vocab_size",
                    "n_embd",
                    "n_layer",
                    "ctx_len",
                    "ffn_mult",
                    "tau",
                    "v_threshold",
                    "v_reset",
                    "alpha",
                    "dropout",
                    "ln_eps",
                    "n_classes");

    private static final Logger logger = LoggerFactory.getLogger(CheckpointExport.class);
    private static final String CLASSIFIER_PREFIX = "classifier.";

    private CheckpointExport() {}

    /** What an export wrote. */
    public record Result(
            Path languageModel, int languageModelTensors, Path classifier, int classifierTensors) {}

    /**
     * Returns the file that holds a classifier's head beside a language-model export: {@code
     * x.safetensors} gives {@code x.classifier.safetensors}.
     *
     * @param out the language-model file
     * @return the classifier file
     */
    public static Path classifierFile(Path out) {
        String name = out.getFileName().toString();
        String stem =
                name.endsWith(".safetensors")
                        ? name.substring(0, name.length() - ".safetensors".length())
                        : name;
        return out.resolveSibling(stem + ".classifier.safetensors");
    }

    /**
     * Writes the export.
     *
     * @param block a {@link ai.spikegpt.model.SpikeGptModel} or {@link
     *     ai.spikegpt.model.SpikeGptClassifier}
     * @param config its configuration
     * @param out the language-model safetensors file
     * @param storage float32, or float16 for half the size
     * @return what was written
     * @throws IOException if writing fails
     * @throws IllegalArgumentException if the original SpikeGPT cannot run this model
     */
    public static Result write(
            AbstractBlock block, SpikeGptConfig config, Path out, DataType storage)
            throws IOException {
        requireOriginalArchitecture(config);
        Map<String, NDArray> lm = new LinkedHashMap<>();
        Map<String, NDArray> head = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> p : ModelIO.namedParameters(block).entrySet()) {
            (p.getKey().startsWith(CLASSIFIER_PREFIX) ? head : lm)
                    .put(p.getKey(), p.getValue().getArray());
        }
        Safetensors.write(out, lm, metadata(config, 0), storage);
        Path classifier = null;
        if (!head.isEmpty()) {
            classifier = classifierFile(out);
            Safetensors.write(classifier, head, metadata(config, config.getClasses()), storage);
        }
        logger.debug(
                "exported {} tensors to {}{}",
                lm.size(),
                out,
                classifier == null ? "" : " and " + head.size() + " to " + classifier);
        return new Result(out, lm.size(), classifier, head.size());
    }

    /**
     * Refuses configurations whose tensors or dynamics the original code does not have.
     *
     * @param config the configuration
     * @throws IllegalArgumentException naming what the original cannot run
     */
    static void requireOriginalArchitecture(SpikeGptConfig config) {
        String why = null;
        if (config.getVariant() != Variant.SPIKEGPT) {
            why =
                    "it is the "
                            + config.getVariant()
                                    .name()
                                    .toLowerCase(java.util.Locale.ROOT)
                                    .replace('_', '-')
                            + " variant";
        } else if (config.isLearnableTau() || config.isLearnableThreshold()) {
            why = "its neurons have learnable tau or threshold";
        } else if (config.getResetMode() != ResetMode.HARD) {
            why = "its neurons use a " + config.getResetMode() + " reset";
        }
        if (why != null) {
            throw new IllegalArgumentException(
                    "the original SpikeGPT cannot run this model: "
                            + why
                            + ". Only the published architecture"
                            + " (variant spikegpt, hard reset, fixed tau and threshold) can be exported to PyTorch");
        }
        if (!config.isBinaryEmbedding() || config.getRescaleEvery() != 0) {
            logger.info(
                    "binary_embedding = {} and rescale_every = {} are inference switches, not weights: the"
                            + " export holds the weights; set the switches on the PyTorch side (spikegpt_ref step("
                            + "binary_emb=..., rescale_every=...))",
                    config.isBinaryEmbedding(),
                    config.getRescaleEvery());
        }
    }

    private static Map<String, String> metadata(SpikeGptConfig config, int classes) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(ModelIO.CONFIG_KEY, referenceConfig(config, classes));
        metadata.put(CheckpointImport.FULL_CONFIG_KEY, config.toJson());
        metadata.put("format", "pt");
        return metadata;
    }

    /**
     * Returns the configuration as the reference implementation's {@code SpikeGPTConfig} JSON:
     * exactly {@link #REFERENCE_KEYS}.
     *
     * @param config the configuration
     * @param classes the {@code n_classes} to write (0 for a language-model file)
     * @return the JSON text
     */
    public static String referenceConfig(SpikeGptConfig config, int classes) {
        JsonObject o = new JsonObject();
        o.addProperty("vocab_size", config.getVocabSize());
        o.addProperty("n_embd", config.getEmbeddingSize());
        o.addProperty("n_layer", config.getLayers());
        o.addProperty("ctx_len", config.getContextLength());
        o.addProperty("ffn_mult", config.getFfnMultiplier());
        o.addProperty("tau", decimal(config.getTau()));
        o.addProperty("v_threshold", decimal(config.getThreshold()));
        o.addProperty("v_reset", decimal(config.getResetPotential()));
        o.addProperty("alpha", decimal(config.getSurrogate().alpha()));
        o.addProperty("dropout", decimal(config.getDropout()));
        o.addProperty("ln_eps", decimal(config.getLayerNormEps()));
        o.addProperty("n_classes", classes);
        return new Gson().toJson(o);
    }

    /** The shortest decimal of a float (0.03, not 0.029999999329447746). */
    private static BigDecimal decimal(float f) {
        return new BigDecimal(Float.toString(f));
    }
}
