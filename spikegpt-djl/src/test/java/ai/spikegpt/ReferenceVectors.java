package ai.spikegpt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.spikegpt.io.ModelIO;
import ai.spikegpt.io.Safetensors;
import ai.spikegpt.model.SpikeGptConfig;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One folder of the reference's test vectors: {@code weights.safetensors} and {@code
 * expected.safetensors}.
 */
public final class ReferenceVectors {

    public final String name;
    public final Path dir;
    public final Safetensors weights;
    public final Safetensors expected;
    public final SpikeGptConfig config;

    private ReferenceVectors(String name) throws IOException {
        this.name = name;
        this.dir = TestSupport.vectors().resolve(name);
        this.weights = Safetensors.open(dir.resolve("weights.safetensors"));
        this.expected = Safetensors.open(dir.resolve("expected.safetensors"));
        this.config = ModelIO.config(weights, null);
    }

    /**
     * @param name "tiny" or "small"
     * @return the vectors
     * @throws IOException if they cannot be read
     */
    public static ReferenceVectors load(String name) throws IOException {
        return new ReferenceVectors(name);
    }

    /**
     * @return the weights file
     */
    public Path weightsFile() {
        return dir.resolve("weights.safetensors");
    }

    /**
     * @param key an expected key @return whether it exists
     */
    public boolean has(String key) {
        return expected.entries().containsKey(key);
    }

    /**
     * @param key an expected key @return its float values
     */
    public float[] floats(String key) {
        return expected.floats(key);
    }

    /**
     * @param m a manager @param key an expected key @return its values as an array
     */
    public NDArray array(NDManager m, String key) {
        String dtype = expected.entry(key).dtype();
        return dtype.startsWith("F") ? expected.floatArray(m, key) : expected.longArray(m, key);
    }
}
