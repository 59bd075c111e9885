package ai.spikegpt.cli;

import ai.djl.training.util.ProgressBar;
import ai.djl.util.Progress;

/**
 * DJL's progress bar for the evaluation commands, on a terminal only: the bar writes to stdout, and
 * output redirected to a file or a pipe ({@code eval-classifier ... | tee test.txt}) should be the
 * results alone.
 */
final class ConsoleProgress {

    private ConsoleProgress() {}

    /**
     * A progress bar, or one that shows nothing when stdout is not a terminal.
     *
     * @param message the bar's label
     * @param max the work in all
     * @return the progress
     */
    static Progress of(String message, long max) {
        return System.console() != null ? new ProgressBar(message, max) : new Silent();
    }

    private static final class Silent implements Progress {
        @Override
        public void reset(String message, long max, String trailingMessage) {}

        @Override
        public void start(long initialProgress) {}

        @Override
        public void end() {}

        @Override
        public void increment(long increment) {}

        @Override
        public void update(long progress, String message) {}
    }
}
