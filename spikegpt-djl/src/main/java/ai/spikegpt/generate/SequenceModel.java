package ai.spikegpt.generate;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import ai.djl.translate.TranslateException;
import ai.spikegpt.inference.JavaSpikeGpt;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.model.SpikeGptModel;
import ai.spikegpt.model.SpikeGptState;

/**
 * A SpikeGPT language model as the generator sees it: run a chunk of tokens from a state, get the
 * last position's logits and the next state. Three implementations: the block itself ({@link
 * #of(SpikeGptModel, ParameterStore)}), a DJL {@link Predictor} over the model ({@link
 * #of(Predictor, SpikeGptConfig)}), so generation works wherever a {@code Predictor} is the way in,
 * or the pure-Java engine ({@link #of(JavaSpikeGpt)}), the fastest for one sequence.
 */
public interface SequenceModel {

    /**
     * Runs tokens from a state.
     *
     * @param tokens the token ids {@code [B, T]}
     * @param state the state before them
     * @return the logits of the last position {@code [B, V]} and the state after the tokens
     */
    Step run(NDArray tokens, SpikeGptState state);

    /**
     * @return the model's configuration
     */
    SpikeGptConfig config();

    /**
     * Opens a session: this model with a recurrent state of batch 1 that the session owns, fed
     * tokens one chunk at a time. The generator drives every model through it; the default keeps
     * the state in DJL arrays, the Java engine in Java arrays.
     *
     * @param manager the manager under which the session keeps its arrays
     * @param state the state to start from (the session takes it over), or null for the empty one
     * @return the session; close it to free its state
     */
    default Session start(NDManager manager, SpikeGptState state) {
        return new NDArraySession(this, manager, state);
    }

    /** A sequence being read: a model and its state, fed tokens. */
    interface Session extends AutoCloseable {
        /**
         * Runs tokens from the current state, which moves on past them.
         *
         * @param tokens the next token ids
         * @return the logits after the last of them {@code [V]}
         */
        float[] run(long[] tokens);

        @Override
        void close();
    }

    /**
     * The result of a run.
     *
     * @param logits the last position's logits {@code [B, V]}
     * @param state the state after the tokens
     */
    record Step(NDArray logits, SpikeGptState state) {}

    /**
     * Wraps a model block.
     *
     * @param model the model
     * @param ps a parameter store
     * @return the sequence model
     */
    static SequenceModel of(SpikeGptModel model, ParameterStore ps) {
        return new SequenceModel() {
            @Override
            public Step run(NDArray tokens, SpikeGptState state) {
                SpikeGptModel.Output out = model.forward(ps, tokens, state, false, null);
                return new Step(last(out.logits()), out.state());
            }

            @Override
            public SpikeGptConfig config() {
                return model.getConfig();
            }
        };
    }

    /**
     * Wraps the pure-Java engine: no native call per step, the state in Java arrays.
     *
     * @param engine the engine
     * @return the sequence model
     */
    static SequenceModel of(JavaSpikeGpt engine) {
        return new JavaSequenceModel(engine);
    }

    /**
     * Wraps a predictor whose model's block is a {@link SpikeGptModel} and whose translator passes
     * {@code NDList}s through (e.g. {@code NoopTranslator}): the input is {@code (tokens,
     * state...)}, the output {@code (logits, state...)}.
     *
     * @param predictor the predictor
     * @param config the model's configuration
     * @return the sequence model
     */
    static SequenceModel of(Predictor<NDList, NDList> predictor, SpikeGptConfig config) {
        return new SequenceModel() {
            @Override
            public Step run(NDArray tokens, SpikeGptState state) {
                NDList input = new NDList(tokens);
                input.addAll(state.toNDList());
                try {
                    NDList out = predictor.predict(input);
                    return new Step(
                            last(out.get(0)), SpikeGptState.fromNDList(out.subNDList(1), config));
                } catch (TranslateException e) {
                    throw new IllegalStateException("prediction failed: " + e.getMessage(), e);
                }
            }

            @Override
            public SpikeGptConfig config() {
                return config;
            }
        };
    }

    private static NDArray last(NDArray logits) {
        return logits.get(new NDIndex(":, -1"));
    }
}
