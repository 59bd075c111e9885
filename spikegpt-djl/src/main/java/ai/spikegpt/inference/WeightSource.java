package ai.spikegpt.inference;

/**
 * Where {@link JavaWeights} reads a model's tensors from: a weight's float32 values by its PyTorch
 * name ({@code emb.weight}, {@code blocks.3.att.key.weight}, ...), row-major.
 *
 * <p>Why an interface: the Java engine must be loadable without the native engine (a loaded DJL
 * model costs libtorch's memory for as long as the process lives), and {@code inference} may not
 * depend on {@code io}, which reads the files. A layer above both connects them, e.g. {@code name
 * -> ModelIO.finiteFloats(reader, name)} over an {@code io.SafetensorsReader}; a loaded DJL model
 * is another source ({@link JavaWeights#of(ai.spikegpt.model.SpikeGptModel, WeightFormat)}).
 */
@FunctionalInterface
public interface WeightSource {

    /**
     * Reads one weight. {@link JavaWeights} calls this once per name and takes ownership of the
     * array (it may keep or overwrite it), so a source returns a fresh array every time.
     *
     * @param name the weight's PyTorch name
     * @return its values as float32, row-major
     * @throws IllegalArgumentException if there is no such weight
     */
    float[] read(String name);
}
