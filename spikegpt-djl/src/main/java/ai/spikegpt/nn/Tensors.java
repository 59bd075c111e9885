package ai.spikegpt.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Small NDArray helpers that every block here relies on.
 *
 * <p>Why {@link #fromJava}: DJL's PyTorch engine wraps Java-created data without copying ({@code
 * from_blob} over a direct buffer that the Java array object keeps alive). Autograd may still read
 * such data during {@code backward()} after the Java object was closed or collected, which silently
 * corrupts gradients. Every array this project makes from Java data and feeds into a recorded
 * operation is therefore copied into memory that PyTorch owns. For the same reason scalars are
 * never passed as {@code NDArray.mul(Number)}: use {@link #scalar}.
 */
public final class Tensors {

    /**
     * A reusable direct buffer per thread: Java data is staged here, then copied once by the
     * engine.
     */
    private static final ThreadLocal<ByteBuffer[]> STAGING =
            ThreadLocal.withInitial(() -> new ByteBuffer[1]);

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
        return fromJava(manager, shape, data)[0];
    }

    /**
     * Creates several float32 arrays of one shape from Java data with a single copy into native
     * memory: the result is one {@code [n, shape...]} array and its {@code n} views.
     *
     * @param manager the manager the result is attached to
     * @param shape the shape of each part
     * @param parts the values of each part, row-major
     * @return a native-owned view per part
     */
    public static NDArray[] fromJava(NDManager manager, Shape shape, float[]... parts) {
        long size = shape.size();
        for (float[] p : parts) {
            if (p.length != size) {
                throw new IllegalArgumentException(
                        "expected " + size + " values for " + shape + ", got " + p.length);
            }
        }
        ByteBuffer staging = staging(Math.multiplyExact(parts.length * size, 4L));
        FloatBuffer floats = staging.asFloatBuffer();
        for (float[] p : parts) {
            floats.put(p);
        }
        Shape packedShape = parts.length == 1 ? shape : new Shape(parts.length).addAll(shape);
        NDArray packed;
        try (NDArray wrapped = manager.create(staging, packedShape, DataType.FLOAT32)) {
            packed = wrapped.duplicate();
        }
        if (parts.length == 1) {
            return new NDArray[] {packed};
        }
        NDArray[] out = new NDArray[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = packed.get(i);
        }
        return out;
    }

    private static ByteBuffer staging(long bytes) {
        ByteBuffer[] holder = STAGING.get();
        if (holder[0] == null || holder[0].capacity() < bytes) {
            holder[0] =
                    ByteBuffer.allocateDirect(Math.toIntExact(Math.max(bytes, 1 << 20)))
                            .order(ByteOrder.nativeOrder());
        }
        ByteBuffer b = holder[0].duplicate().order(ByteOrder.nativeOrder());
        b.clear().limit((int) bytes);
        return b.slice().order(ByteOrder.nativeOrder());
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
     * Moves a result computed from parameters alone to the manager of the data being processed. DJL
     * attaches an operation's result to its first operand's manager: a result derived only from
     * parameters would otherwise live in the model's manager for good, a leak on every call.
     *
     * @param derived an array computed from parameters
     * @param manager the data's manager
     * @return {@code derived}, now owned by {@code manager}
     */
    public static NDArray local(NDArray derived, NDManager manager) {
        derived.attach(manager);
        return derived;
    }

    /**
     * Keeps the results of a step that runs in an {@link NDScope} and a scratch manager (so that
     * all else it creates is freed when it ends, as a long generation or a long text needs): takes
     * them out of the scope and moves them to a longer-lived manager.
     *
     * @param results the arrays to keep
     * @param manager the manager that owns them from now on
     */
    public static void keep(NDList results, NDManager manager) {
        NDScope.unregister(results);
        results.attach(manager);
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
        padding[padding.length - 2] =
                Math.min(d, t); // (before, after) pairs from the last axis back
        if (d >= t) {
            return x.zerosLike();
        }
        NDArray head = x.get(new NDIndex().addAllDim().addSliceDim(0, t - d));
        return head.pad(new Shape(padding), 0);
    }
}
