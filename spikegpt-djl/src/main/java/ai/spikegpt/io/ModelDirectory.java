package ai.spikegpt.io;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.AbstractBlock;
import ai.spikegpt.files.AtomicFiles;
import ai.spikegpt.model.SpikeGptClassifier;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.model.SpikeGptModel;
import ai.spikegpt.tokenizer.BpeTokenizer;
import ai.spikegpt.tokenizer.CharTokenizer;
import ai.spikegpt.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A SpikeGPT model on disk, the one format that training writes, import produces, the model zoo
 * serves and every command reads:
 *
 * <pre>
 *   config.json          the {@link SpikeGptConfig} (architecture, labels of a classifier)
 *   model.safetensors    the weights under the original PyTorch names, config in the metadata
 *   chars.json | tokenizer.json   the tokenizer ({@link TextTokenizer})
 *   serving.properties   how DJL's model loader builds it ({@code Criteria.optModelPath(dir)})
 * </pre>
 *
 * Everything is checked on load: the weights against the configuration (names and shapes), the
 * tokenizer against the vocabulary size.
 *
 * <p>These files change together: {@link #save} replaces them as a whole through a {@link
 * DirectoryTransaction}, and every reader here first finishes a save that a kill interrupted after
 * its commit, so a model is never read as new configuration beside old weights. Other files in the
 * directory (a training run's {@code training/} and {@code checkpoint/}) are left alone.
 */
public final class ModelDirectory {

    /** The configuration file. */
    public static final String CONFIG = "config.json";

    /** The weights file. */
    public static final String WEIGHTS = "model.safetensors";

    /** DJL's model-loading settings file. */
    static final String SERVING = "serving.properties";

    /** Every file a save writes or, when the new model has no such file, deletes. */
    static final Set<String> FILES =
            Set.of(CONFIG, WEIGHTS, CharTokenizer.FILE, BpeTokenizer.FILE, SERVING);

    /** DJL's model-loading settings: the block factory builds the model from the safetensors. */
    static final String SERVING_PROPERTIES =
            String.join(
                    "\n",
                    "engine=PyTorch",
                    "blockFactory=ai.spikegpt.zoo.SpikeGptBlockFactory",
                    "translatorFactory=ai.spikegpt.translator.SpikeGptTranslatorFactory",
                    "option.hasParameter=false",
                    "");

    private ModelDirectory() {}

    /**
     * Returns whether a path is a model directory.
     *
     * @param path the path
     * @return whether it holds a configuration and weights
     */
    public static boolean isModelDirectory(Path path) {
        if (Files.isDirectory(path)) {
            recover(path);
        }
        return Files.isDirectory(path)
                && Files.isRegularFile(path.resolve(CONFIG))
                && Files.isRegularFile(path.resolve(WEIGHTS));
    }

    /**
     * Writes a model directory, replacing the model files of one already there as a whole: after a
     * failure or a kill at any moment, the directory holds the old model or the new one.
     *
     * @param dir the directory (created if needed)
     * @param block a {@link SpikeGptModel} or {@link SpikeGptClassifier}
     * @param config its configuration
     * @param tokenizer its tokenizer, or null to write none
     * @param storage float32, or float16 for half the size
     * @param metadata extra metadata strings for the weights file, or null
     * @throws IOException if writing fails
     */
    public static void save(
            Path dir,
            AbstractBlock block,
            SpikeGptConfig config,
            TextTokenizer tokenizer,
            DataType storage,
            Map<String, String> metadata)
            throws IOException {
        try (DirectoryTransaction transaction = DirectoryTransaction.begin(dir)) {
            writeFiles(transaction.staging(), block, config, tokenizer, storage, metadata);
            transaction.commit(FILES);
        }
    }

    /**
     * Writes the files of a model directory into a transaction's staging folder, for a caller that
     * publishes more files with them in one {@link DirectoryTransaction} (a training checkpoint).
     * {@link #save} is this and the commit.
     *
     * @param staging the staging folder
     * @param block a {@link SpikeGptModel} or {@link SpikeGptClassifier}
     * @param config its configuration
     * @param tokenizer its tokenizer, or null to write none
     * @param storage float32, or float16 for half the size
     * @param metadata extra metadata strings for the weights file, or null
     * @return the names of the files a commit replaces or deletes ({@link
     *     DirectoryTransaction#commit})
     * @throws IOException if writing fails
     */
    public static Set<String> writeFiles(
            Path staging,
            AbstractBlock block,
            SpikeGptConfig config,
            TextTokenizer tokenizer,
            DataType storage,
            Map<String, String> metadata)
            throws IOException {
        if (block instanceof SpikeGptModel && config.getClasses() > 0) {
            config =
                    config.toBuilder()
                            .optClasses(0)
                            .build(); // no head saved: the directory is a language model
        }
        config.save(staging.resolve(CONFIG));
        ModelIO.save(
                ModelIO.namedParameters(block),
                config,
                staging.resolve(WEIGHTS),
                storage,
                metadata);
        if (tokenizer != null) {
            tokenizer.save(staging);
        }
        AtomicFiles.writeString(staging.resolve(SERVING), SERVING_PROPERTIES);
        return FILES;
    }

    /**
     * Reads a directory's configuration.
     *
     * @param dir the model directory
     * @return the configuration
     * @throws IOException if it cannot be read
     */
    public static SpikeGptConfig config(Path dir) throws IOException {
        require(dir);
        return SpikeGptConfig.load(dir.resolve(CONFIG));
    }

    /**
     * Loads the language model of a directory (a classifier's directory works too: its
     * classification head is ignored).
     *
     * @param dir the model directory
     * @param manager the manager that owns the parameters
     * @return the model
     * @throws IOException if it cannot be read
     */
    public static SpikeGptModel loadLanguageModel(Path dir, NDManager manager) throws IOException {
        return ModelIO.loadLanguageModel(dir.resolve(WEIGHTS), config(dir), manager);
    }

    /**
     * Loads the classifier of a directory.
     *
     * @param dir the model directory
     * @param manager the manager that owns the parameters
     * @return the classifier
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException if the model has no classification head
     */
    public static SpikeGptClassifier loadClassifier(Path dir, NDManager manager)
            throws IOException {
        return ModelIO.loadClassifier(dir.resolve(WEIGHTS), classifierConfig(dir), manager);
    }

    /**
     * Reads the configuration of a directory that must hold a classifier.
     *
     * @param dir the model directory
     * @return the configuration, with at least two classes
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException if the model has no classification head
     */
    public static SpikeGptConfig classifierConfig(Path dir) throws IOException {
        SpikeGptConfig config = config(dir);
        if (config.getClasses() < 2) {
            throw new IllegalArgumentException(
                    dir
                            + " holds a language model without a classification head (n_classes = 0): fine-tune it "
                            + "with 'spikegpt finetune-classifier' first");
        }
        return config;
    }

    /**
     * Starts a classifier for new labels from a directory's language model (a classifier's
     * directory works too: its head is replaced). The trunk keeps its trained weights; the head is
     * new. Fine-tune it, then {@link #save} it.
     *
     * @param dir the model directory
     * @param labels the class names, at least two
     * @param manager the manager that owns the parameters
     * @return the classifier
     * @throws IOException if it cannot be read
     */
    public static SpikeGptClassifier newClassifier(Path dir, List<String> labels, NDManager manager)
            throws IOException {
        SpikeGptConfig config = config(dir).toBuilder().optLabels(labels).build();
        return ModelIO.newClassifier(Safetensors.open(dir.resolve(WEIGHTS)), config, manager);
    }

    /**
     * Loads the tokenizer of a directory and checks it against the model's vocabulary.
     *
     * @param dir the model directory
     * @return the tokenizer
     * @throws IOException if it cannot be read
     */
    public static TextTokenizer tokenizer(Path dir) throws IOException {
        SpikeGptConfig config = config(dir);
        TextTokenizer tokenizer = TextTokenizer.load(dir);
        if (tokenizer.vocabSize() > config.getVocabSize()) {
            int size = tokenizer.vocabSize();
            tokenizer.close();
            throw new IllegalArgumentException(
                    dir
                            + ": the tokenizer has "
                            + size
                            + " tokens but the model's vocab_size is "
                            + config.getVocabSize()
                            + "; the tokenizer does not belong to this model");
        }
        return tokenizer;
    }

    /**
     * Finishes an interrupted save where the check cannot report an error: a failure shows when the
     * model is read.
     */
    private static void recover(Path dir) {
        try {
            DirectoryTransaction.recover(dir);
        } catch (IOException e) {
            // e.g. a read-only copy: config() reports the problem when the model is read
        }
    }

    private static void require(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no model directory at " + dir);
        }
        DirectoryTransaction.recover(dir);
        if (!Files.isRegularFile(dir.resolve(CONFIG))
                || !Files.isRegularFile(dir.resolve(WEIGHTS))) {
            throw new IllegalArgumentException(
                    dir + " is not a model directory: it needs " + CONFIG + " and " + WEIGHTS);
        }
    }
}
