package ai.spikegpt.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.spikegpt.model.LayerState;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.model.SpikeGptState;
import ai.spikegpt.model.Variant;
import ai.spikegpt.nn.Wkv;
import java.util.Arrays;

/**
 * The recurrent state of {@link JavaSpikeGpt} for a batch, owned by the caller: per layer the same
 * fields as {@link LayerState} (att_xx, aa, bb, pp, ffn_xx, lif1_v, lif2_v, and SpikeGPT-B's hidden
 * membrane), each a {@code float[batch * width]}. {@link JavaSpikeGpt} updates it in place; {@link
 * #copy()} keeps a point to continue from twice.
 */
public final class JavaState {

    final int batch;
    final float[][][] layers; // [layer][field][batch * width]

    private JavaState(int batch, float[][][] layers) {
        this.batch = batch;
        this.layers = layers;
    }

    /**
     * The empty state: zeros, except {@code pp = -1e30} and the membranes at the reset potential.
     *
     * @param config the model configuration
     * @param batch the batch size
     * @return the state
     */
    public static JavaState zeros(SpikeGptConfig config, int batch) {
        int c = config.getEmbeddingSize();
        boolean inner = config.getVariant() == Variant.SPIKEGPT_B;
        float[][][] layers = new float[config.getLayers()][][];
        for (int i = 0; i < layers.length; i++) {
            float[][] f = new float[inner ? LayerState.FIELDS + 1 : LayerState.FIELDS][];
            for (int j = 0; j < LayerState.FIELDS; j++) {
                f[j] = new float[batch * c];
            }
            Arrays.fill(f[3], Wkv.EMPTY_EXPONENT);
            Arrays.fill(f[5], config.getResetPotential());
            Arrays.fill(f[6], config.getResetPotential());
            if (inner) {
                f[LayerState.FIELDS] = new float[batch * config.getFfnHiddenSize()];
                Arrays.fill(f[LayerState.FIELDS], config.getResetPotential());
            }
            layers[i] = f;
        }
        return new JavaState(batch, layers);
    }

    /**
     * Copies a DJL model's state.
     *
     * @param state the state
     * @return the same values in Java arrays
     */
    public static JavaState of(SpikeGptState state) {
        float[][][] layers = new float[state.layers()][][];
        for (int i = 0; i < layers.length; i++) {
            NDArray[] a = state.layer(i).arrays();
            layers[i] = new float[a.length][];
            for (int j = 0; j < a.length; j++) {
                layers[i][j] = a[j].toFloatArray();
            }
        }
        return new JavaState(Math.toIntExact(state.batchSize()), layers);
    }

    /**
     * Copies this state into DJL arrays.
     *
     * @param manager the manager of the arrays
     * @return the state as the DJL model takes it
     */
    public SpikeGptState toSpikeGptState(NDManager manager) {
        LayerState[] out = new LayerState[layers.length];
        for (int i = 0; i < layers.length; i++) {
            NDArray[] a = new NDArray[layers[i].length];
            for (int j = 0; j < a.length; j++) {
                a[j] = manager.create(layers[i][j], new Shape(batch, layers[i][j].length / batch));
            }
            out[i] = LayerState.of(a);
        }
        return new SpikeGptState(out);
    }

    /**
     * @return a deep copy
     */
    public JavaState copy() {
        float[][][] c = new float[layers.length][][];
        for (int i = 0; i < layers.length; i++) {
            c[i] = new float[layers[i].length][];
            for (int j = 0; j < layers[i].length; j++) {
                c[i][j] = layers[i][j].clone();
            }
        }
        return new JavaState(batch, c);
    }

    /**
     * @return the batch size
     */
    public int batchSize() {
        return batch;
    }

    /**
     * Returns one field of one layer (the {@link LayerState} order).
     *
     * @param layer the layer
     * @param field the field index, 0 to 6 (7: SpikeGPT-B's hidden membrane)
     * @return the values {@code [batch, width]}, not a copy
     */
    public float[] field(int layer, int field) {
        return layers[layer][field];
    }
}
