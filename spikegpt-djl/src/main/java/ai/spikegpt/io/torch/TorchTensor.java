package ai.spikegpt.io.torch;

import java.util.Arrays;

/**
 * A tensor of a {@code torch.save} checkpoint as its pickle describes it: a view ({@code offset},
 * {@code shape}, {@code stride}, in elements) of a typed storage whose bytes are the archive entry
 * {@code data/<key>}. No data is read until the values are needed.
 */
record TorchTensor(Storage storage, long offset, long[] shape, long[] stride) {

    /**
     * A typed storage: {@code numel} elements of {@code type} in the archive entry {@code
     * data/<key>}.
     */
    record Storage(TorchStorageType type, String key, long numel) {}

    /**
     * @return the number of elements of the view
     */
    long size() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /**
     * @return whether the view is row-major contiguous, so its elements are consecutive in the
     *     storage
     */
    boolean contiguous() {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /**
     * @return one past the largest storage index the view touches (its offset if it is empty)
     */
    long end() {
        long last = offset;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 0) {
                return offset;
            }
            last = Math.addExact(last, Math.multiplyExact(shape[d] - 1, stride[d]));
        }
        return last + 1;
    }

    @Override
    public String toString() {
        return storage.type() + Arrays.toString(shape) + " (storage " + storage.key() + ")";
    }
}
