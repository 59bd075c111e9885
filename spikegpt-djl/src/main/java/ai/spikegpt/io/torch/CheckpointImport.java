package ai.spikegpt.io.torch;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.AbstractBlock;
import ai.spikegpt.io.ModelIO;
import ai.spikegpt.io.Safetensors;
import ai.spikegpt.io.TensorSource;
import ai.spikegpt.model.SpikeGptConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports a SpikeGPT checkpoint made elsewhere: a {@code torch.save} state dict as the original
 * project released its models ({@code .pth}, fp32 / fp16 / bf16) or a safetensors file with the
 * original names (e.g. from the reference implementation or {@link CheckpointExport}).
 *
 * <pre>
 *   CheckpointImport imported = CheckpointImport.builder()
 *           .setCheckpoint(Paths.get("SpikeGPT-216M.pth"))
 *           .optBinaryEmbedding(false)      // how the original run.py ran the 216M model
 *           .optRescaleEvery(6)
 *           .build();
 *   AbstractBlock model = imported.load(manager);   // SpikeGptModel, or SpikeGptClassifier
 *   ModelDirectory.save(dir, model, imported.getConfig(), tokenizer, DataType.FLOAT32, null);
 * </pre>
 *
 * <p>The configuration is, in this order: the one given with {@link Builder#optConfig}; the file's
 * own ({@code __metadata__} of a safetensors file); or inferred from the tensors' names and shapes
 * ({@link StateDictConfig}). The compatibility switches are then applied on top. {@link #load}
 * checks every tensor against it and names any that is missing, extra or mis-shaped.
 */
public final class CheckpointImport {

    /**
     * The metadata key under which {@link CheckpointExport} stores this project's full
     * configuration.
     */
    public static final String FULL_CONFIG_KEY = "spikegpt_djl_config";

    private static final Logger logger = LoggerFactory.getLogger(CheckpointImport.class);
    private static final String SOURCE_GIVEN = "given";
    private static final String SOURCE_METADATA = "the file's metadata";
    private static final String SOURCE_INFERRED = "inferred from the tensors";

    private final TensorSource tensors;
    private final String format;
    private final SpikeGptConfig config;
    private final String configSource;

    private CheckpointImport(
            TensorSource tensors, String format, SpikeGptConfig config, String configSource) {
        this.tensors = tensors;
        this.format = format;
        this.config = config;
        this.configSource = configSource;
    }

    /**
     * @return a new builder; {@link Builder#setCheckpoint} is required
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens a checkpoint by its content: a zip archive is a {@code torch.save} checkpoint, a {@code
     * .safetensors} file (or anything else that is not a pickle) is read as safetensors.
     *
     * @param file the checkpoint
     * @return its tensors
     * @throws IOException if it cannot be read, saying why
     */
    public static TensorSource open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such checkpoint file: " + file);
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (TorchCheckpoint.isZip(file)) {
            return TorchCheckpoint.open(file);
        }
        if (name.endsWith(".safetensors")) {
            return Safetensors.open(file);
        }
        if (startsLikePickle(file)
                || name.endsWith(".pth")
                || name.endsWith(".pt")
                || name.endsWith(".bin")) {
            return TorchCheckpoint.open(file); // explains legacy pickles and non-checkpoints
        }
        return Safetensors.open(file);
    }

    private static boolean startsLikePickle(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(2);
            return head.length == 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5;
        }
    }

    /**
     * @return the configuration the model is built with, switches included
     */
    public SpikeGptConfig getConfig() {
        return config;
    }

    /**
     * @return where the configuration came from: "given", "the file's metadata" or "inferred from
     *     the tensors"
     */
    public String getConfigSource() {
        return configSource;
    }

    /**
     * @return the checkpoint's tensors
     */
    public TensorSource getTensors() {
        return tensors;
    }

    /**
     * @return "torch.save zip" or "safetensors"
     */
    public String getFormat() {
        return format;
    }

    /**
     * @return how many tensors the checkpoint holds
     */
    public int getTensorCount() {
        return tensors.shapes().size();
    }

    /**
     * @return the number of tensors per stored element type (F32, F16, BF16, ...)
     */
    public Map<String, Integer> getStoredTypes() {
        Map<String, Integer> counts = new TreeMap<>();
        for (String name : tensors.shapes().keySet()) {
            counts.merge(tensors.dtype(name), 1, Integer::sum);
        }
        return counts;
    }

    /**
     * Builds the model and fills it from the checkpoint, checking every tensor's name and shape.
     *
     * @param manager the manager that owns the parameters
     * @return a {@link ai.spikegpt.model.SpikeGptClassifier} if the configuration has {@code
     *     n_classes >= 2}, else a {@link ai.spikegpt.model.SpikeGptModel}
     * @throws IllegalArgumentException naming a missing, extra or mis-shaped tensor
     */
    public AbstractBlock load(NDManager manager) {
        try {
            if (config.getClasses() >= 2) {
                return ModelIO.loadClassifier(tensors, config, manager);
            }
            return ModelIO.loadLanguageModel(tensors, config, manager);
        } catch (IllegalArgumentException e) {
            if (SOURCE_GIVEN.equals(configSource)) {
                throw e;
            }
            String hint =
                    SOURCE_INFERRED.equals(configSource)
                            ? " (the configuration was inferred from the checkpoint's own tensors, so the checkpoint is"
                                    + " incomplete or not a plain SpikeGPT state dict)"
                            : " (the configuration comes from the file's metadata; give one with --config to override it)";
            throw new IllegalArgumentException(e.getMessage() + hint, e);
        }
    }

    /**
     * Builds a {@link CheckpointImport}: {@code set*} values are required, {@code opt*} optional.
     */
    public static final class Builder {
        private Path checkpoint;
        private SpikeGptConfig config;
        private Boolean binaryEmbedding;
        private Integer rescaleEvery;

        Builder() {}

        /**
         * @param file the {@code .pth} or {@code .safetensors} checkpoint @return this builder
         */
        public Builder setCheckpoint(Path file) {
            this.checkpoint = file;
            return this;
        }

        /**
         * @param config the configuration to use instead of the file's or the inferred one @return
         *     this builder
         */
        public Builder optConfig(SpikeGptConfig config) {
            this.config = config;
            return this;
        }

        /**
         * Sets whether the embedding is binarised. The trained SpikeGPT uses a binary embedding
         * (the default); the original {@code model_run.py} skips it unless the vocabulary has 77
         * tokens, and its 216M model was run that way: pass false to reproduce that.
         *
         * @param on whether the embedding is binary
         * @return this builder
         */
        public Builder optBinaryEmbedding(boolean on) {
            this.binaryEmbedding = on;
            return this;
        }

        /**
         * Sets the original RNN script's layer-halving period ({@code RWKV_RESCALE_LAYER = 6} in
         * {@code model_run.py}; 0 = off, the default, as trained).
         *
         * @param n the period
         * @return this builder
         */
        public Builder optRescaleEvery(int n) {
            this.rescaleEvery = n;
            return this;
        }

        /**
         * Opens the checkpoint and settles the configuration.
         *
         * @return the import, ready to {@link CheckpointImport#load}
         * @throws IOException if the checkpoint cannot be read or is unsafe
         * @throws IllegalArgumentException if the configuration cannot be inferred or is invalid
         */
        public CheckpointImport build() throws IOException {
            if (checkpoint == null) {
                throw new IllegalArgumentException("no checkpoint given: setCheckpoint(file)");
            }
            TensorSource tensors = open(checkpoint);
            String format = tensors instanceof TorchCheckpoint ? "torch.save zip" : "safetensors";
            SpikeGptConfig base;
            String source;
            if (config != null) {
                base = config;
                source = SOURCE_GIVEN;
            } else if (tensors.metadata().containsKey(FULL_CONFIG_KEY)) {
                base = fromMetadata(tensors, FULL_CONFIG_KEY);
                source = SOURCE_METADATA;
            } else if (tensors.metadata().containsKey(ModelIO.CONFIG_KEY)) {
                base = fromMetadata(tensors, ModelIO.CONFIG_KEY);
                source = SOURCE_METADATA;
            } else {
                base = StateDictConfig.infer(tensors).build();
                source = SOURCE_INFERRED;
            }
            SpikeGptConfig.Builder b = base.toBuilder();
            if (binaryEmbedding != null) {
                b.optBinaryEmbedding(binaryEmbedding);
            }
            if (rescaleEvery != null) {
                b.optRescaleEvery(rescaleEvery);
            }
            SpikeGptConfig result = b.build();
            logger.debug(
                    "{}: {} with {} tensors, configuration {} ({})",
                    checkpoint,
                    format,
                    tensors.shapes().size(),
                    result,
                    source);
            return new CheckpointImport(tensors, format, result, source);
        }

        private static SpikeGptConfig fromMetadata(TensorSource tensors, String key) {
            try {
                return SpikeGptConfig.fromJson(tensors.metadata().get(key));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        tensors.origin()
                                + " __metadata__."
                                + key
                                + ": "
                                + e.getMessage()
                                + " (give a configuration with --config to override it)",
                        e);
            }
        }
    }
}
