package ai.spikegpt.generate;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import ai.djl.translate.TranslateException;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.model.SpikeGptModel;
import ai.spikegpt.model.SpikeGptState;

/**
 * A SpikeGPT language model as the generator sees it: run a chunk of tokens from a state, get the
 * last position's logits and the next state. Two implementations: the block itself ({@link
 * #of(SpikeGptModel, ParameterStore)}) or a DJL {@link Predictor} over the model ({@link
 * #of(Predictor, SpikeGptConfig)}), so generation works wherever a {@code Predictor} is the way in.
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
