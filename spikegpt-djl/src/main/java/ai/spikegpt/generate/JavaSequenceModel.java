package ai.spikegpt.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.spikegpt.inference.JavaSpikeGpt;
import ai.spikegpt.inference.JavaState;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.model.SpikeGptState;

/**
 * The Java engine ({@link JavaSpikeGpt}) as a {@link SequenceModel}. Its sessions keep the state in
 * Java arrays: a generation step makes no native call at all. {@link #run} (DJL arrays in and out)
 * copies the state across, for callers that hold a {@link SpikeGptState}.
 */
final class JavaSequenceModel implements SequenceModel {

    private final JavaSpikeGpt engine;

    JavaSequenceModel(JavaSpikeGpt engine) {
        this.engine = engine;
    }

    @Override
    public Step run(NDArray tokens, SpikeGptState state) {
        Shape shape = tokens.getShape();
        int batch = Math.toIntExact(shape.get(0));
        int steps = Math.toIntExact(shape.get(1));
        JavaState s = JavaState.of(state);
        float[] logits = engine.lastLogits(ints(tokens.toLongArray()), batch, steps, s);
        NDManager manager = tokens.getManager();
        return new Step(
                manager.create(logits, new Shape(batch, config().getVocabSize())),
                s.toSpikeGptState(manager));
    }

    @Override
    public Session start(NDManager manager, SpikeGptState state) {
        JavaState s = state == null ? JavaState.zeros(config(), 1) : JavaState.of(state);
        if (state != null) {
            state.close();
        }
        return new Session() {
            @Override
            public float[] run(long[] tokens) {
                return engine.lastLogits(ints(tokens), 1, tokens.length, s);
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public SpikeGptConfig config() {
        return engine.getConfig();
    }

    private static int[] ints(long[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            // out-of-range ids (also beyond int) are rejected by the engine with one message
            out[i] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, ids[i]));
        }
        return out;
    }
}
