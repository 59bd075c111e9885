package ai.spikegpt.io;

import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every weights file reader shares: the file, the tensors' shapes in file order, the lookup of
 * a name with a message naming the file, and {@link #floats} (the dtype checked, the values decoded
 * to float32 by the format's {@link #decode}).
 *
 * @param <T> the format's description of one tensor
 */
public abstract class TensorFile<T> implements TensorSource {

    private final Path file;
    private final Map<String, T> tensors;
    private final Map<String, Shape> shapes;

    /**
     * @param file the file
     * @param tensors the tensors by name, in file order
     * @param shapes the shape of each tensor
     */
    protected TensorFile(Path file, Map<String, T> tensors, Map<String, Shape> shapes) {
        this.file = file;
        this.tensors = tensors;
        this.shapes = Collections.unmodifiableMap(new LinkedHashMap<>(shapes));
    }

    /**
     * @return the file
     */
    public Path file() {
        return file;
    }

    @Override
    public String origin() {
        return file.toString();
    }

    @Override
    public Map<String, Shape> shapes() {
        return shapes;
    }

    /**
     * Returns a tensor's description.
     *
     * @param name the tensor name
     * @return its description
     * @throws IllegalArgumentException naming the file if there is no such tensor
     */
    protected T tensor(String name) {
        T t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException(file + " has no tensor '" + name + "'");
        }
        return t;
    }

    /**
     * Reads a floating-point tensor as float32 values (F32, F16, BF16 and F64 are converted).
     *
     * @param name the tensor name
     * @return the values, row-major
     * @throws IllegalArgumentException if there is no such tensor or it is not floating point
     */
    @Override
    public float[] floats(String name) {
        String dtype = dtype(name);
        if (!FloatCodec.isFloat(dtype)) {
            throw new IllegalArgumentException(
                    file
                            + ": tensor '"
                            + name
                            + "' is "
                            + dtype
                            + ", expected a floating-point type");
        }
        float[] out = new float[Math.toIntExact(shapes.get(name).size())];
        if (out.length > 0) {
            decode(tensor(name), dtype, out);
        }
        return out;
    }

    /**
     * Decodes a floating-point tensor's values.
     *
     * @param tensor the tensor
     * @param dtype its dtype, one {@link FloatCodec} decodes
     * @param out receives the values, row-major
     */
    protected abstract void decode(T tensor, String dtype, float[] out);
}
