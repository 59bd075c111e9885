package ai.spikegpt.io.torch;

import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;

/**
 * The typed storage classes a {@code torch.save} state dict names ({@code torch.FloatStorage},
 * ...), with the element type they hold.
 *
 * <p>In the pickle they are data, not code: a storage class only appears inside a persistent id
 * ({@code ('storage', torch.FloatStorage, key, location, numel)}) to say how to read the bytes of
 * {@code data/<key>}. Calling one is refused.
 */
enum TorchStorageType implements IObjectConstructor {
    FLOAT("FloatStorage", "F32", 4),
    HALF("HalfStorage", "F16", 2),
    BFLOAT16("BFloat16Storage", "BF16", 2),
    DOUBLE("DoubleStorage", "F64", 8),
    LONG("LongStorage", "I64", 8),
    INT("IntStorage", "I32", 4),
    SHORT("ShortStorage", "I16", 2),
    CHAR("CharStorage", "I8", 1),
    BYTE("ByteStorage", "U8", 1),
    BOOL("BoolStorage", "BOOL", 1);

    private final String className;
    private final String dtype;
    private final int width;

    TorchStorageType(String className, String dtype, int width) {
        this.className = className;
        this.dtype = dtype;
        this.width = width;
    }

    /**
     * Finds a storage class by its name in module {@code torch}.
     *
     * @param name e.g. {@code FloatStorage}
     * @return the type, or null if it is not a storage class
     */
    static TorchStorageType of(String name) {
        for (TorchStorageType t : values()) {
            if (t.className.equals(name)) {
                return t;
            }
        }
        return null;
    }

    /**
     * @return the element type in safetensors notation (F32, F16, BF16, ...)
     */
    String dtype() {
        return dtype;
    }

    /**
     * @return the bytes per element
     */
    int width() {
        return width;
    }

    @Override
    public Object construct(Object[] args) {
        throw new PickleException(
                "torch." + className + " is called in the pickle; a state dict only names it");
    }

    @Override
    public String toString() {
        return "torch." + className;
    }
}
