package ai.spikegpt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.spikegpt.nn.Wkv;
import java.util.ArrayList;
import java.util.List;

/**
 * The recurrent state of a whole SpikeGPT model for a batch of sequences: one {@link LayerState}
 * per block. It is owned by the caller (as in rwkv.cpp): {@link SpikeGptModel#forward} takes a
 * state and returns the next one without touching its input, so a state can be kept to branch
 * ({@link #copy()}), reset ({@link #zeros}) or saved ({@link #pack()}).
 *
 * <p>The empty state has every field 0 except the WKV exponent {@code pp = -1e30} and the membranes
 * at the reset potential.
 */
public final class SpikeGptState implements AutoCloseable {

    private final LayerState[] layers;

    /**
     * Wraps per-layer states.
     *
     * @param layers one state per block
     */
    public SpikeGptState(LayerState[] layers) {
        this.layers = layers.clone();
    }

    /**
     * Returns the empty state.
     *
     * @param manager the manager that owns the arrays
     * @param config the model configuration
     * @param batch the batch size
     * @return a fresh state
     */
    public static SpikeGptState zeros(NDManager manager, SpikeGptConfig config, int batch) {
        int c = config.getEmbeddingSize();
        Shape shape = new Shape(batch, c);
        LayerState[] layers = new LayerState[config.getLayers()];
        for (int i = 0; i < layers.length; i++) {
            NDArray rest = manager.full(shape, config.getResetPotential());
            layers[i] =
                    new LayerState(
                            manager.zeros(shape),
                            manager.zeros(shape),
                            manager.zeros(shape),
                            manager.full(shape, Wkv.EMPTY_EXPONENT),
                            manager.zeros(shape),
                            rest,
                            rest.duplicate(),
                            config.getVariant() == Variant.SPIKEGPT_B
                                    ? manager.full(
                                            new Shape(batch, config.getFfnHiddenSize()),
                                            config.getResetPotential())
                                    : null);
        }
        return new SpikeGptState(layers);
    }

    /**
     * Returns the state of one block.
     *
     * @param layer the block index
     * @return its state
     */
    public LayerState layer(int layer) {
        return layers[layer];
    }

    /**
     * @return the number of blocks
     */
    public int layers() {
        return layers.length;
    }

    /**
     * @return the batch size
     */
    public long batchSize() {
        return layers[0].aa().getShape().get(0);
    }

    /**
     * Returns a deep copy, to continue two ways from the same point (e.g. several samples from one
     * prompt).
     *
     * @param manager the manager that owns the copy
     * @return the copy
     */
    public SpikeGptState copy(NDManager manager) {
        LayerState[] copies = new LayerState[layers.length];
        for (int i = 0; i < layers.length; i++) {
            NDArray[] a = layers[i].arrays();
            for (int j = 0; j < a.length; j++) {
                a[j] = a[j].duplicate();
                a[j].attach(manager);
            }
            copies[i] = LayerState.of(a);
        }
        return new SpikeGptState(copies);
    }

    /**
     * Selects some sequences of the batch, e.g. to repeat one prompt's state for several samples.
     *
     * @param indices the batch rows to keep, in order
     * @return a new state with {@code indices.length} rows
     */
    public SpikeGptState select(long... indices) {
        LayerState[] out = new LayerState[layers.length];
        for (int i = 0; i < layers.length; i++) {
            NDArray[] a = layers[i].arrays();
            NDArray idx = a[0].getManager().create(indices);
            for (int j = 0; j < a.length; j++) {
                a[j] = a[j].get(idx);
            }
            idx.close();
            out[i] = LayerState.of(a);
        }
        return new SpikeGptState(out);
    }

    /**
     * Packs the 7 per-layer fields into one array {@code [L, 7, B, C]}, the reference's layout
     * (field order att_xx, aa, bb, pp, ffn_xx, lif1_v, lif2_v). SpikeGPT-B's inner membranes are
     * not part of it: use {@link #toNDList()} to keep everything.
     *
     * @return the packed state
     */
    public NDArray pack() {
        NDList perLayer = new NDList();
        for (LayerState layer : layers) {
            NDList fields = new NDList();
            for (int f = 0; f < LayerState.FIELDS; f++) {
                fields.add(layer.field(f));
            }
            perLayer.add(NDArrays.stack(fields));
        }
        return NDArrays.stack(perLayer);
    }

    /**
     * Returns every array of the state, layer by layer in {@link LayerState#arrays()} order: the
     * form in which a state travels through a DJL {@code Predictor}.
     *
     * @return the arrays
     */
    public NDList toNDList() {
        NDList list = new NDList();
        for (LayerState layer : layers) {
            list.addAll(new NDList(layer.arrays()));
        }
        return list;
    }

    /**
     * Rebuilds a state from {@link #toNDList()}.
     *
     * @param list the arrays
     * @param config the model configuration
     * @return the state
     * @throws IllegalArgumentException if the arrays do not fit the configuration
     */
    public static SpikeGptState fromNDList(NDList list, SpikeGptConfig config) {
        int per =
                config.getVariant() == Variant.SPIKEGPT_B
                        ? LayerState.FIELDS + 1
                        : LayerState.FIELDS;
        if (list.size() != per * config.getLayers()) {
            throw new IllegalArgumentException(
                    "a state for "
                            + config
                            + " has "
                            + per * config.getLayers()
                            + " arrays, got "
                            + list.size());
        }
        LayerState[] layers = new LayerState[config.getLayers()];
        long batch = list.get(0).getShape().get(0);
        for (int i = 0; i < layers.length; i++) {
            NDArray[] a = new NDArray[per];
            for (int j = 0; j < per; j++) {
                a[j] = list.get(i * per + j);
                long width =
                        j == LayerState.FIELDS
                                ? config.getFfnHiddenSize()
                                : config.getEmbeddingSize();
                if (!a[j].getShape().equals(new Shape(batch, width))
                        || a[j].getDataType() != DataType.FLOAT32) {
                    throw new IllegalArgumentException(
                            "state array "
                                    + (i * per + j)
                                    + " is "
                                    + a[j].getDataType()
                                    + a[j].getShape()
                                    + ", expected float32"
                                    + new Shape(batch, width));
                }
            }
            layers[i] = LayerState.of(a);
        }
        return new SpikeGptState(layers);
    }

    /**
     * Moves every array to a manager (e.g. out of a per-step scope).
     *
     * @param manager the new owner
     */
    public void attach(NDManager manager) {
        toNDList().attach(manager);
    }

    /**
     * @return all arrays as a list, for bookkeeping
     */
    List<NDArray> all() {
        List<NDArray> out = new ArrayList<>();
        for (LayerState l : layers) {
            out.addAll(List.of(l.arrays()));
        }
        return out;
    }

    @Override
    public void close() {
        for (NDArray a : all()) {
            a.close();
        }
    }
}
