package ai.spikegpt.io.torch;

import ai.djl.ndarray.types.Shape;
import ai.spikegpt.io.TensorSource;
import ai.spikegpt.model.SpikeGptConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Infers a SpikeGPT configuration from the names and shapes of a state dict, so that an original
 * checkpoint can be imported without knowing how it was trained: {@code emb.weight [V, C]} gives
 * {@code vocab_size} and {@code n_embd}, the {@code blocks.<i>.} prefixes give {@code n_layer},
 * {@code blocks.0.ffn.key.weight [ffn_mult * C, C]} gives {@code ffn_mult}, and {@code
 * classifier.weight [K, C]}, if present, {@code n_classes}. Everything else (context length, neuron
 * constants) keeps the original's defaults.
 *
 * <p>Only the structure is inferred here; {@link ai.spikegpt.io.ModelIO} then checks every tensor
 * against the result and names any that is missing, extra or mis-shaped.
 */
public final class StateDictConfig {

    private static final Pattern BLOCK = Pattern.compile("^blocks\\.(\\d+)\\.");

    private StateDictConfig() {}

    /**
     * Infers the configuration.
     *
     * @param tensors the state dict
     * @return a builder holding the inferred values (the caller may change the rest)
     * @throws IllegalArgumentException if the tensors are not a SpikeGPT state dict, saying which
     *     tensor is missing or malformed
     */
    public static SpikeGptConfig.Builder infer(TensorSource tensors) {
        Map<String, Shape> shapes = tensors.shapes();
        Shape emb = shapes.get("emb.weight");
        if (emb == null || emb.dimension() != 2) {
            throw new IllegalArgumentException(
                    tensors.origin()
                            + (emb == null
                                    ? " has no tensor 'emb.weight'"
                                    : " has emb.weight " + emb)
                            + ", expected emb.weight [vocab_size, n_embd]: this is not a SpikeGPT state dict"
                            + " (its first tensors: "
                            + firstNames(shapes)
                            + ")");
        }
        int vocab = Math.toIntExact(emb.get(0));
        int c = Math.toIntExact(emb.get(1));
        int layers = countBlocks(tensors);
        String ffnKey = "blocks.0.ffn.key.weight";
        Shape ffn = shapes.get(ffnKey);
        if (ffn == null
                || ffn.dimension() != 2
                || ffn.get(1) != c
                || ffn.get(0) % c != 0
                || ffn.get(0) == 0) {
            throw new IllegalArgumentException(
                    tensors.origin()
                            + (ffn == null
                                    ? " has no tensor '" + ffnKey + "'"
                                    : " has " + ffnKey + " " + ffn)
                            + ", expected "
                            + ffnKey
                            + " [ffn_mult * n_embd, n_embd] with n_embd = "
                            + c
                            + " (from emb.weight "
                            + emb
                            + ")");
        }
        SpikeGptConfig.Builder builder =
                SpikeGptConfig.builder()
                        .setVocabSize(vocab)
                        .setEmbeddingSize(c)
                        .setLayers(layers)
                        .optFfnMultiplier(Math.toIntExact(ffn.get(0) / c));
        Shape classifier = shapes.get("classifier.weight");
        if (classifier != null && classifier.dimension() == 2) {
            builder.optClasses(Math.toIntExact(classifier.get(0)));
        }
        return builder;
    }

    /** Counts the blocks, requiring them to be numbered 0 .. n-1 without gaps. */
    private static int countBlocks(TensorSource tensors) {
        TreeSet<Integer> blocks = new TreeSet<>();
        for (String name : tensors.shapes().keySet()) {
            Matcher m = BLOCK.matcher(name);
            if (m.find()) {
                blocks.add(Integer.parseInt(m.group(1)));
            }
        }
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException(
                    tensors.origin()
                            + " has no blocks.<i>.* tensors: this is not a SpikeGPT state dict (its first"
                            + " tensors: "
                            + firstNames(tensors.shapes())
                            + ")");
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i <= blocks.last(); i++) {
            if (!blocks.contains(i)) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(
                    tensors.origin()
                            + " has tensors of blocks up to blocks."
                            + blocks.last()
                            + ".* but none of block(s) "
                            + missing
                            + ": a SpikeGPT state dict numbers its blocks 0 .. n_layer-1; the file is"
                            + " incomplete or not from SpikeGPT");
        }
        return blocks.size();
    }

    private static String firstNames(Map<String, Shape> shapes) {
        List<String> names = new ArrayList<>();
        for (String name : shapes.keySet()) {
            if (names.size() == 5) {
                names.add("...");
                break;
            }
            names.add(name);
        }
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
