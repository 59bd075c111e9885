package ai.spikegpt.nn;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A backward pass in segments, for operators whose gradient is written by hand: DJL has no custom
 * autograd functions, so the sequential operators (LIF, WKV) would otherwise have to express their
 * backward recurrences as differentiable graphs ({@link LinearScan}), built in every forward pass.
 *
 * <p>While a {@code SegmentedBackward} is recording on a thread, such an operator computes its
 * output without a graph, makes it a leaf (a <em>cut</em>) and registers how to turn the leaf's
 * gradient into gradients of its inputs. {@link #backward} then runs autograd from the loss down to
 * the cuts, and for each cut, newest first, computes its inputs' gradients in Java and runs
 * autograd again from those inputs down to the next cuts. A cut is processed only after every later
 * one, so its gradient is complete by then (all its consumers come after it). Parameter gradients
 * accumulate over the segments exactly as in one backward pass.
 *
 * <p>Without a recording instance the operators keep their plain autograd form, so DJL's own {@code
 * EasyTrain} stays exact; {@code ai.spikegpt.training.TrainingStep} is the training step that
 * records.
 */
public final class SegmentedBackward implements AutoCloseable {

    private static final ThreadLocal<SegmentedBackward> RECORDING = new ThreadLocal<>();

    private final List<Cut> cuts = new ArrayList<>();

    private record Cut(NDArray leaf, NDList inputs, Function<NDArray, NDList> backward) {}

    private SegmentedBackward() {}

    /**
     * Starts recording on this thread; close it when the step is done.
     *
     * @return the recording
     */
    public static SegmentedBackward record() {
        if (RECORDING.get() != null) {
            throw new IllegalStateException(
                    "a SegmentedBackward is already recording on this thread");
        }
        SegmentedBackward tape = new SegmentedBackward();
        RECORDING.set(tape);
        return tape;
    }

    /**
     * The recording on this thread, if any.
     *
     * @return the recording, or null: operators then use their autograd form
     */
    public static SegmentedBackward recording() {
        return RECORDING.get();
    }

    /**
     * Makes a value computed without a graph into a leaf of the graph, with a hand-written
     * backward.
     *
     * @param value the operator's output, not attached to any graph
     * @param inputs the operator's differentiable inputs
     * @param backward maps the output's gradient to the inputs' gradients (same order and shapes;
     *     null entries for inputs without one); arrays it creates belong to the gradient's manager
     * @return {@code value}, now a leaf that collects its gradient
     */
    public NDArray cut(NDArray value, NDList inputs, Function<NDArray, NDList> backward) {
        value.setRequiresGradient(true);
        cuts.add(new Cut(value, inputs, backward));
        return value;
    }

    /**
     * Cuts the graph at an array, e.g. a block's input, so that the segments above it do not run
     * autograd through everything below: the gradient passes through unchanged.
     *
     * @param x an array of the graph
     * @return a leaf with the values of {@code x}
     */
    public NDArray cut(NDArray x) {
        return cut(x.stopGradient(), new NDList(x), grad -> new NDList(grad));
    }

    /**
     * Runs the backward pass: from the loss, then from every cut, newest first.
     *
     * @param loss a scalar loss
     */
    public void backward(NDArray loss) {
        try (NDManager scratch = loss.getManager().newSubManager()) {
            run(loss, scratch.ones(loss.getShape(), loss.getDataType()));
        }
        for (int i = cuts.size() - 1; i >= 0; i--) {
            Cut cut = cuts.get(i);
            try (NDManager scratch = cut.leaf.getManager().newSubManager()) {
                NDArray grad = cut.leaf.getGradient();
                if (grad == null) {
                    continue; // nothing downstream used this output
                }
                grad.attach(scratch);
                inject(cut.inputs, cut.backward.apply(grad), scratch);
            }
        }
        cuts.clear();
    }

    /** Runs autograd from several arrays with given gradients, as one pass. */
    private static void inject(NDList inputs, NDList grads, NDManager scratch) {
        if (grads.size() != inputs.size()) {
            throw new IllegalStateException(
                    "a cut returned "
                            + grads.size()
                            + " gradients for "
                            + inputs.size()
                            + " inputs");
        }
        List<NDArray[]> live = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            if (grads.get(i) != null) {
                grads.get(i).attach(scratch);
                live.add(new NDArray[] {inputs.get(i), grads.get(i)});
            }
        }
        if (live.size() == 1) {
            run(live.get(0)[0], live.get(0)[1]);
        } else if (live.size() > 1) {
            // one pass from sum_i sum(g_i * x_i), whose gradient with respect to x_i is g_i
            // (g_i first: the products then belong to the scratch manager)
            NDArray root = null;
            for (NDArray[] pair : live) {
                NDArray term = pair[1].mul(pair[0]).sum();
                root = root == null ? term : root.add(term);
            }
            run(root, scratch.ones(root.getShape(), root.getDataType()));
        }
    }

    private static void run(NDArray root, NDArray grad) {
        try {
            // the graph is kept: segments can share nodes (e.g. the LN1 under both WKV and
            // receptance)
            JniUtils.backward((PtNDArray) root, (PtNDArray) grad, true, false);
        } catch (EngineException e) {
            // DJL cannot ask whether a non-leaf array needs a gradient; if none of the inputs does
            // (frozen parameters below the cut), there is nothing to propagate
            if (e.getMessage() == null || !e.getMessage().contains("does not require grad")) {
                throw e;
            }
        }
    }

    @Override
    public void close() {
        cuts.clear();
        if (RECORDING.get() == this) {
            RECORDING.remove();
        }
    }
}
