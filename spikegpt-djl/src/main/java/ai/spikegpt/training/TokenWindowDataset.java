package ai.spikegpt.training;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import java.util.SplittableRandom;

/**
 * Language-model windows over a token stream, as a DJL dataset: record {@code i} is the window
 * {@code tokens[s .. s+T)} as data and {@code tokens[s+1 .. s+T+1)} as labels (next-token targets).
 *
 * <ul>
 *   <li>{@link Mode#RANDOM} (training): {@code s} is drawn uniformly from all valid starts by a
 *       generator seeded with {@code (seed, first + i)}, so the stream of windows is a pure
 *       function of the seed and the position: a resumed run continues exactly where it stopped
 *       ({@link Builder#optFirst}).
 *   <li>{@link Mode#CONTIGUOUS} (evaluation): {@code s = i T}, non-overlapping windows covering the
 *       stream once.
 * </ul>
 */
public final class TokenWindowDataset extends RandomAccessDataset {

    /** How windows are placed. */
    public enum Mode {
        /** Uniformly random starts, reproducible from the seed. */
        RANDOM,
        /** Consecutive non-overlapping windows. */
        CONTIGUOUS
    }

    private final int[] tokens;
    private final int window;
    private final Mode mode;
    private final long windows;
    private final long first;
    private final long seed;

    private TokenWindowDataset(Builder builder) {
        super(builder);
        this.tokens = builder.tokens;
        this.window = builder.window;
        this.mode = builder.mode;
        this.first = builder.first;
        this.seed = builder.seed;
        if (window < 1) {
            throw new IllegalArgumentException("the window length must be >= 1, got " + window);
        }
        if (tokens.length < window + 1) {
            throw new IllegalArgumentException(
                    "the text has "
                            + tokens.length
                            + " tokens, too few for one window of "
                            + window
                            + " tokens plus its target: use a longer text or a shorter context");
        }
        long contiguous = (tokens.length - 1) / window;
        this.windows =
                mode == Mode.CONTIGUOUS ? Math.min(contiguous, builder.windows) : builder.windows;
    }

    /**
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the start of a window.
     *
     * @param index the window index
     * @return its first token position
     */
    public long start(long index) {
        if (mode == Mode.CONTIGUOUS) {
            return index * window;
        }
        long span =
                tokens.length - window; // valid starts: 0 .. span-1 (labels need one more token)
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + first + index).nextLong(span);
    }

    @Override
    public Record get(NDManager manager, long index) {
        int[] span = span(index);
        long[] data = new long[window];
        long[] labels = new long[window];
        for (int t = 0; t < window; t++) {
            data[t] = span[t];
            labels[t] = span[t + 1];
        }
        return new Record(
                new NDList(manager.create(data, new Shape(window))),
                new NDList(manager.create(labels, new Shape(window))));
    }

    @Override
    protected long availableSize() {
        return windows;
    }

    @Override
    public void prepare(Progress progress) {}

    /**
     * @return the window length T
     */
    public int getWindow() {
        return window;
    }

    /**
     * Returns the tokens of a window and its last target: inputs are {@code [0, T)}, targets {@code
     * [1, T]}.
     *
     * @param index the window index
     * @return {@code T + 1} tokens
     */
    public int[] span(long index) {
        int s = Math.toIntExact(start(index));
        int[] out = new int[window + 1];
        System.arraycopy(tokens, s, out, 0, window + 1);
        return out;
    }

    /**
     * Builds a {@link TokenWindowDataset}; {@code setTokens} and {@code setWindow} are required.
     */
    public static final class Builder extends BaseBuilder<Builder> {
        private int[] tokens;
        private int window;
        private Mode mode = Mode.RANDOM;
        private long windows = Long.MAX_VALUE;
        private long first;
        private long seed;

        Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * @param tokens the token stream @return this builder
         */
        public Builder setTokens(int[] tokens) {
            this.tokens = tokens;
            return this;
        }

        /**
         * @param window the window length T (the training context) @return this builder
         */
        public Builder setWindow(int window) {
            this.window = window;
            return this;
        }

        /**
         * @param mode random (training) or contiguous (evaluation) @return this builder
         */
        public Builder optMode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /**
         * @param n the number of windows (random mode; contiguous mode caps at the stream) @return
         *     this builder
         */
        public Builder optWindows(long n) {
            this.windows = n;
            return this;
        }

        /**
         * @param index the position of the first window in the random stream (to resume) @return
         *     this builder
         */
        public Builder optFirst(long index) {
            this.first = index;
            return this;
        }

        /**
         * @param seed the seed of the random window starts @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @return the dataset
         */
        public TokenWindowDataset build() {
            if (tokens == null) {
                throw new IllegalArgumentException("the dataset needs a token stream");
            }
            return new TokenWindowDataset(this);
        }
    }
}
