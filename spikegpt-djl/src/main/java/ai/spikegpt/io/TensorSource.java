package ai.spikegpt.io;

import ai.djl.ndarray.types.Shape;
import java.util.Map;

/**
 * Named tensors read from a weights file, whatever its format: a {@link Safetensors} file or a
 * PyTorch {@code torch.save} checkpoint ({@link ai.spikegpt.io.torch.TorchCheckpoint}).
 *
 * <p>Why: {@link ModelIO} checks every name and shape against a configuration and assigns the
 * values to a model's parameters. Behind this interface it does so once for every format, so an
 * imported checkpoint gets exactly the same validation and messages as a native weights file.
 * Values always come back as float32 converted in Java (DJL aborts on bfloat16 arrays).
 */
public interface TensorSource {

    /**
     * @return where the tensors come from, for messages (usually the file path)
     */
    String origin();

    /**
     * @return tensor names to shapes, in the order the file lists them
     */
    Map<String, Shape> shapes();

    /**
     * Returns the stored element type of a tensor, in safetensors notation.
     *
     * @param name the tensor name
     * @return {@code F32}, {@code F16}, {@code BF16}, {@code F64}, {@code I64}, ...
     * @throws IllegalArgumentException if there is no such tensor
     */
    String dtype(String name);

    /**
     * Reads a floating-point tensor as float32 values, row-major.
     *
     * @param name the tensor name
     * @return the values
     * @throws IllegalArgumentException if there is no such tensor or it is not floating point
     */
    float[] floats(String name);

    /**
     * @return string metadata of the file (safetensors {@code __metadata__}); empty if none
     */
    default Map<String, String> metadata() {
        return Map.of();
    }
}
