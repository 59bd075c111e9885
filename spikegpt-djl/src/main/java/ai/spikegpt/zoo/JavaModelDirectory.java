package ai.spikegpt.zoo;

import ai.spikegpt.inference.JavaWeights;
import ai.spikegpt.inference.WeightFormat;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.io.ModelIO;
import ai.spikegpt.io.SafetensorsReader;
import ai.spikegpt.model.SpikeGptConfig;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A model directory (or a zoo artifact's, {@link SpikeGptModelZoo#modelDirectory}) loaded straight
 * into the pure-Java engine: the weights file is checked against the configuration as the DJL
 * loaders check it (names, shapes, dtypes, finite values) and read tensor by tensor into {@link
 * JavaWeights}, with no NDManager and no native engine.
 *
 * <p>Why: the other way, a DJL model whose weights are copied, loads libtorch, and its libraries
 * and allocator arenas stay in the process's memory after the model is closed (hundreds of MB of
 * peak RSS for a 20 MB model). Here the process holds the Java arrays and nothing else; the file is
 * read without a memory mapping ({@link SafetensorsReader}).
 */
public final class JavaModelDirectory {

    private JavaModelDirectory() {}

    /**
     * Loads a directory's language model (a classifier's directory works too: its classification
     * head is ignored).
     *
     * @param dir the model directory
     * @param format how to store the matrices
     * @return the weights
     * @throws IOException if the directory cannot be read
     * @throws IllegalArgumentException if the weights do not match the configuration, or the model
     *     learns its neuron parameters (the Java engine does not run those)
     */
    public static JavaWeights languageModel(Path dir, WeightFormat format) throws IOException {
        SpikeGptConfig config = ModelDirectory.config(dir);
        try (SafetensorsReader weights =
                SafetensorsReader.open(dir.resolve(ModelDirectory.WEIGHTS))) {
            ModelIO.checkLanguageModel(weights, config);
            return JavaWeights.languageModel(
                    config, name -> ModelIO.finiteFloats(weights, name), format);
        }
    }

    /**
     * Loads a directory's classifier (without the generation head, which classification never
     * reads).
     *
     * @param dir the model directory
     * @param format how to store the matrices
     * @return the weights
     * @throws IOException if the directory cannot be read
     * @throws IllegalArgumentException if the directory holds no classifier, the weights do not
     *     match the configuration, or the model learns its neuron parameters
     */
    public static JavaWeights classifier(Path dir, WeightFormat format) throws IOException {
        SpikeGptConfig config = ModelDirectory.classifierConfig(dir);
        try (SafetensorsReader weights =
                SafetensorsReader.open(dir.resolve(ModelDirectory.WEIGHTS))) {
            ModelIO.checkClassifier(weights, config);
            return JavaWeights.classifier(
                    config, name -> ModelIO.finiteFloats(weights, name), format);
        }
    }
}
