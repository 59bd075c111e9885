package ai.spikegpt.inference;

import java.util.Locale;

/**
 * How the Java engine stores its matrices. Vectors (layer norms, mixes, decays) always stay fp32.
 *
 * <ul>
 *   <li>{@link #FP32}: exact, the DJL model's own values;
 *   <li>{@link #FP16}: IEEE half precision, round to nearest even (half the memory, relative error
 *       at most 2^-11 per weight);
 *   <li>{@link #INT8}: one signed byte per weight and one fp32 scale per output row, {@code scale =
 *       max|row| / 127} (a quarter of the memory; as rwkv.cpp's Q8_0, with one scale a row instead
 *       of one per 32 weights).
 * </ul>
 */
public enum WeightFormat {
    /** 32-bit floats. */
    FP32,
    /** 16-bit floats. */
    FP16,
    /** 8-bit integers with a per-row scale. */
    INT8;

    /**
     * Parses a format name as the command line writes it.
     *
     * @param name fp32, fp16 or int8 (any case)
     * @return the format
     * @throws IllegalArgumentException for any other name
     */
    public static WeightFormat parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown weight format '" + name + "': use fp32, fp16 or int8", e);
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
