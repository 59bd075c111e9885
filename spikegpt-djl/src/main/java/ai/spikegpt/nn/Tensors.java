package ai.spikegpt.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Small NDArray helpers that every block here relies on.
 *
 * <p>Why {@link #fromJava}: DJL's PyTorch engine wraps Java-created data without copying
 * ({@code from_blob} over a direct buffer that the Java array object keeps alive). Autograd may
 * still read such data during {@code backward()} after the Java object was closed or collected,
 * which silently corrupts gradients. Every array this project makes from Java data and feeds into
 * a recorded operation is therefore copied into memory that PyTorch owns. For the same reason
 * scalars are never passed as {@code NDArray.mul(Number)}: use {@link #scalar}.
 */
public final class Tensors {

    private Tensors() {}

    /**
     * Creates a float32 array from Java data, in memory owned by the native engine.
     *
     * @param manager the manager the result is attached to
     * @param data the values, row-major
     * @param shape the shape
     * @return a native-owned array
     */
    public static NDArray fromJava(NDManager manager, float[] data, Shape shape) {
        try (NDArray wrapped = manager.create(data, shape)) {
            return wrapped.duplicate();
        }
    }

    /**
     * Creates a float32 scalar constant in native memory, safe to use in recorded operations.
     *
     * @param manager the manager the result is attached to
     * @param value the value
     * @return a 0-d array
     */
    public static NDArray scalar(NDManager manager, float value) {
        return manager.full(new Shape(), value);
    }

    /**
     * Shifts an array by {@code d} steps along the time axis 1, filling the first {@code d} steps
     * with zeros: {@code out[:, t] = x[:, t - d]}.
     *
     * @param x an array of at least 2 dimensions, time on axis 1
     * @param d the shift, {@code 0 < d}
     * @return the shifted array, same shape as {@code x}
     */
    public static NDArray shiftTime(NDArray x, int d) {
        Shape shape = x.getShape();
        long t = shape.get(1);
        long[] padding = new long[2 * (shape.dimension() - 1)];
        padding[padding.length - 2] = Math.min(d, t); // (before, after) pairs from the last axis back
        if (d >= t) {
            return x.zerosLike();
        }
        NDArray head = x.get(new NDIndex().addAllDim().addSliceDim(0, t - d));
        return head.pad(new Shape(padding), 0);
    }
}
