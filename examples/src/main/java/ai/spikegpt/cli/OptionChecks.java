package ai.spikegpt.cli;

/**
 * Range checks for numeric options, so a bad value gets one line naming the option instead of an
 * exception from deep inside DJL (a batch size of 0 fails there with an index error).
 */
final class OptionChecks {

    private OptionChecks() {}

    /**
     * @param option the option's name, e.g. {@code --batch-size}
     * @param value its value
     * @param min the smallest allowed value
     * @throws IllegalArgumentException if the value is smaller
     */
    static void atLeast(String option, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(
                    option + " must be at least " + min + ", got " + value);
        }
    }
}
