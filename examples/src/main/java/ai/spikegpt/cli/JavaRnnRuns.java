package ai.spikegpt.cli;

import ai.spikegpt.inference.JavaSpikeGpt;
import ai.spikegpt.inference.JavaState;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * {@code bench --mode rnn} on the Java engine: greedy batch-1 generation from the empty state, one
 * token a step, as the DJL worker and {@code bench_ref.py} run it.
 */
final class JavaRnnRuns {

    private JavaRnnRuns() {}

    /**
     * Times generation runs.
     *
     * @param java the engine
     * @param tokens tokens a run
     * @param maxIterations the most runs (warm-up and retries included)
     * @param done whether enough runs were recorded
     * @param record receives each run's index and meter
     */
    static void run(
            JavaSpikeGpt java,
            int tokens,
            int maxIterations,
            BooleanSupplier done,
            BiConsumer<Integer, BenchCommand.Meter> record) {
        int vocab = java.getConfig().getVocabSize();
        for (int it = 0; !done.getAsBoolean() && it < maxIterations; it++) {
            JavaState state = JavaState.zeros(java.getConfig(), 1);
            int token = 1;
            BenchCommand.Meter meter = new BenchCommand.Meter();
            for (int i = 0; i < tokens; i++) {
                float[] logits = java.lastLogits(new int[] {token}, 1, 1, state);
                int best = 0;
                for (int v = 1; v < vocab; v++) {
                    if (logits[v] > logits[best]) {
                        best = v;
                    }
                }
                token = best;
            }
            meter.stop();
            record.accept(it, meter);
        }
    }
}
