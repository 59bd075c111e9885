package ai.spikegpt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * What the time mix, the channel mix and the block share as DJL blocks: they map a sequence {@code
 * [B, T, C]} to one of the same shape, and their plain DJL {@code forward} is a stateless pass (new
 * sequences, no recurrent state carried in or out) of their own richer {@code forward}.
 */
abstract class SequenceBlock extends AbstractBlock {

    /**
     * @param version the block's parameter-file version
     */
    SequenceBlock(byte version) {
        super(version);
    }

    /**
     * The output of a stateless forward pass over new sequences.
     *
     * @param ps the parameter store
     * @param x the input {@code [B, T, C]}
     * @param training whether in training
     * @return the output {@code [B, T, C]}
     */
    abstract NDArray forwardStateless(ParameterStore ps, NDArray x, boolean training);

    @Override
    protected final NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forwardStateless(ps, inputs.head(), training));
    }

    @Override
    public final Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    /** Initialises child blocks for one input shape, skipping absent (null) ones. */
    static void initializeAll(NDManager manager, DataType dataType, Shape shape, Block... blocks) {
        for (Block b : blocks) {
            if (b != null) {
                b.initialize(manager, dataType, shape);
            }
        }
    }
}
