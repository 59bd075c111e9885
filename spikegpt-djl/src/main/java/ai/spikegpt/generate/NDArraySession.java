package ai.spikegpt.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.spikegpt.model.SpikeGptState;
import ai.spikegpt.nn.Tensors;

/**
 * The session of a {@link SequenceModel} over DJL arrays: it holds the state in its own manager and
 * frees each step's arrays when the next one is made, so a generation holds one step's arrays
 * however long it runs.
 */
final class NDArraySession implements SequenceModel.Session {

    private final SequenceModel model;
    private final NDManager session;
    private SpikeGptState state;

    /**
     * @param model the model
     * @param manager the manager to open the session's own manager under
     * @param state the state to start from (taken over), or null for the empty state
     */
    NDArraySession(SequenceModel model, NDManager manager, SpikeGptState state) {
        this.model = model;
        this.session = manager.newSubManager();
        if (state == null) {
            this.state = SpikeGptState.zeros(session, model.config(), 1);
        } else {
            Tensors.keep(state.toNDList(), session);
            this.state = state;
        }
    }

    /**
     * Runs one chunk and moves only the new state to the session. Everything else the step creates
     * is freed when it returns: the input and what derives from it with the step's own manager, and
     * results computed from parameters alone (which DJL puts in the parameters' manager) with the
     * scope. The scope alone would not do: DJL does not register arrays created from Java data,
     * such as the input, in a scope.
     */
    @Override
    public float[] run(long[] tokens) {
        try (NDManager stepManager = session.newSubManager();
                NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            SequenceModel.Step step =
                    model.run(stepManager.create(tokens, new Shape(1, tokens.length)), state);
            NDArray logits = step.logits();
            float[] out = logits.toFloatArray();
            NDList kept = step.state().toNDList();
            Tensors.keep(kept, session);
            state.close();
            state = step.state();
            return out;
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
