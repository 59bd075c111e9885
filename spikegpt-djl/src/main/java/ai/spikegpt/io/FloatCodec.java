package ai.spikegpt.io;

import java.nio.ByteBuffer;

/**
 * Decodes stored floating-point data (F32, F64, F16, BF16) to float32 in Java.
 *
 * <p>Why in Java: DJL's PyTorch engine aborts the JVM on bfloat16 arrays, so half-precision weights
 * are widened here, exactly, before any NDArray exists. Shared by every weights reader so that all
 * formats convert identically.
 */
public final class FloatCodec {

    private FloatCodec() {}

    /**
     * Returns whether a dtype (safetensors notation) is a floating-point type this codec decodes.
     *
     * @param dtype the dtype name
     * @return whether {@link #decode} accepts it
     */
    public static boolean isFloat(String dtype) {
        switch (dtype) {
            case "F32":
            case "F64":
            case "F16":
            case "BF16":
                return true;
            default:
                return false;
        }
    }

    /**
     * Returns the size of one element of a floating-point dtype.
     *
     * @param dtype F32, F64, F16 or BF16
     * @return the bytes per element
     */
    public static int width(String dtype) {
        switch (dtype) {
            case "F64":
                return 8;
            case "F32":
                return 4;
            case "F16":
            case "BF16":
                return 2;
            default:
                throw new IllegalArgumentException("not a floating-point dtype: " + dtype);
        }
    }

    /**
     * Decodes {@code out.length} elements, element {@code i} at byte {@code i * width} of the
     * buffer (absolute positions from 0, in the buffer's byte order).
     *
     * @param data the stored bytes
     * @param dtype F32, F64, F16 or BF16
     * @param out receives the values
     */
    public static void decode(ByteBuffer data, String dtype, float[] out) {
        decode(data, dtype, out, 0, out.length);
    }

    /**
     * Decodes {@code count} elements into {@code out[offset ..]}, element {@code i} at byte {@code
     * i * width} of the buffer (absolute positions from 0, in the buffer's byte order): one chunk
     * of a tensor that is read piece by piece.
     *
     * @param data the stored bytes
     * @param dtype F32, F64, F16 or BF16
     * @param out receives the values
     * @param offset the index in {@code out} of the first element
     * @param count the number of elements
     */
    public static void decode(ByteBuffer data, String dtype, float[] out, int offset, int count) {
        switch (dtype) {
            case "F32":
                data.duplicate()
                        .order(data.order())
                        .position(0)
                        .asFloatBuffer()
                        .get(out, offset, count);
                break;
            case "F64":
                for (int i = 0; i < count; i++) {
                    out[offset + i] = (float) data.getDouble(8 * i);
                }
                break;
            case "BF16":
                for (int i = 0; i < count; i++) {
                    out[offset + i] = bf16ToFloat(data.getShort(2 * i));
                }
                break;
            case "F16":
                for (int i = 0; i < count; i++) {
                    out[offset + i] = halfToFloat(data.getShort(2 * i));
                }
                break;
            default:
                throw new IllegalArgumentException("not a floating-point dtype: " + dtype);
        }
    }

    /**
     * Converts a bfloat16 value to float (exact: bfloat16 is the upper half of a float).
     *
     * @param h the 16 bits
     * @return the value
     */
    public static float bf16ToFloat(short h) {
        return Float.intBitsToFloat((h & 0xffff) << 16);
    }

    /**
     * Converts an IEEE 754 half-precision value to float (exact).
     *
     * @param h the 16 bits
     * @return the value
     */
    public static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            if (mantissa == 0) {
                return Float.intBitsToFloat(sign);
            }
            float v = mantissa / 1024f / 16384f; // subnormal: mantissa * 2^-24
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
