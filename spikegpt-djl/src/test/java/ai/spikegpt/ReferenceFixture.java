package ai.spikegpt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.spikegpt.io.ModelIO;
import ai.spikegpt.model.SpikeGptModel;
import java.io.IOException;

/**
 * A reference model loaded for a test: its vectors, the model from their weights file, an inference
 * parameter store and the vectors' tokens, all owned by one manager that {@link #close} frees.
 */
public class ReferenceFixture implements AutoCloseable {
    public final ReferenceVectors vectors;
    public final NDManager manager = NDManager.newBaseManager();
    public final SpikeGptModel model;
    public final ParameterStore ps = new ParameterStore(manager, false);
    public final NDArray tokens;

    /**
     * @param name "tiny" or "small"
     * @throws IOException if the vectors cannot be read
     */
    public ReferenceFixture(String name) throws IOException {
        vectors = ReferenceVectors.load(name);
        model = ModelIO.loadLanguageModel(vectors.weightsFile(), null, manager);
        tokens = vectors.array(manager, "tokens");
    }

    @Override
    public void close() {
        manager.close();
    }
}
