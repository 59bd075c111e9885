package ai.spikegpt.inference;

/**
 * IEEE 754 half precision (binary16) conversions: Java 17 has no {@code Float.float16ToFloat}.
 * Decoding goes through a table of all 65,536 values (256 KB, it stays in the L2 cache).
 */
final class Half {

    private static final float[] TO_FLOAT = new float[1 << 16];

    static {
        for (int i = 0; i < TO_FLOAT.length; i++) {
            TO_FLOAT[i] = decode(i);
        }
    }

    private Half() {}

    /**
     * @param half the bits of a half, in the low 16 bits
     * @return its value
     */
    static float toFloat(short half) {
        return TO_FLOAT[half & 0xffff];
    }

    private static float decode(int h) {
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0) {
            float v = mantissa * 0x1p-24f; // subnormal: m 2^-24
            return sign != 0 ? -v : v;
        }
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }

    /**
     * Rounds a float to the nearest half, ties to even; overflow gives infinity.
     *
     * @param f the value
     * @return the bits of the half
     */
    static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xff;
        int mantissa = bits & 0x7fffff;
        if (exponent == 0xff) {
            return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0));
        }
        int e = exponent - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            int full = mantissa | 0x800000;
            int shift = 14 - e;
            return (short) (sign | roundShift(full, shift));
        }
        // a carry out of the mantissa raises the exponent, which is the right result
        return (short) (sign | roundShift((e << 23) | mantissa, 13));
    }

    /** {@code value >> shift}, rounded to nearest, ties to even. */
    private static int roundShift(int value, int shift) {
        int kept = value >>> shift;
        int rest = value & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (rest > halfway || (rest == halfway && (kept & 1) != 0)) {
            kept++;
        }
        return kept;
    }
}
