package ai.spikegpt.translator;

import ai.djl.modality.Classifications;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import ai.spikegpt.model.SpikeGptClassifier;
import ai.spikegpt.tokenizer.TextNormalization;
import ai.spikegpt.tokenizer.TextTokenizer;
import java.util.List;

/**
 * Text classification as a DJL translator, {@code String -> Classifications}, for a {@link
 * ai.spikegpt.model.SpikeGptClassifier}: the text becomes {@code (tokens [T], mask [T])}; {@code
 * batchPredict} pads a batch to its longest text and masks the padding (the classifier mean-pools
 * the real tokens only, so a text gets the same answer alone or in a batch). Texts of any length
 * are accepted: the classifier reads a text longer than its context in chunks, carrying the
 * recurrent state, and pools over every real token of the whole text.
 */
public class TextClassificationTranslator implements Translator<String, Classifications> {

    private final TextTokenizer tokenizer;
    private final TextNormalization normalization;
    private final List<String> labels;
    private final int maxTokens;

    /**
     * @param tokenizer the model's tokenizer
     * @param normalization how the model's training text was written (see {@link
     *     TextNormalization})
     * @param labels the class names, in the classifier's order
     * @param maxTokens the longest accepted text, in tokens, or {@code Integer.MAX_VALUE} for no
     *     limit (memory does not grow with the length; a limit bounds the time per text)
     */
    public TextClassificationTranslator(
            TextTokenizer tokenizer,
            TextNormalization normalization,
            List<String> labels,
            int maxTokens) {
        this.tokenizer = tokenizer;
        this.normalization = normalization;
        this.labels = List.copyOf(labels);
        this.maxTokens = maxTokens;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the text to classify is empty");
        }
        long[] ids = encode(tokenizer, normalization.apply(text), maxTokens);
        NDManager manager = ctx.getNDManager();
        return new NDList(
                manager.create(ids), manager.ones(new Shape(ids.length), DataType.FLOAT32));
    }

    /**
     * Encodes a text for classification, with clear errors for empty or too long input.
     *
     * @param tokenizer the tokenizer
     * @param text the text
     * @param maxTokens the limit
     * @return the token ids
     */
    public static long[] encode(TextTokenizer tokenizer, String text, int maxTokens) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the text to classify is empty");
        }
        long[] ids = tokenizer.encode(text);
        if (ids.length > maxTokens) {
            throw new IllegalArgumentException(
                    "the text has "
                            + ids.length
                            + " tokens, more than the limit of "
                            + maxTokens
                            + " (translator argument maxTokens)");
        }
        return ids;
    }

    @Override
    public Classifications processOutput(TranslatorContext ctx, NDList list) {
        NDArray probabilities = list.head().softmax(-1);
        return new Classifications(labels, probabilities);
    }

    @Override
    public Batchifier getBatchifier() {
        return SpikeGptClassifier.inputBatchifier();
    }

    /**
     * @return the class names
     */
    public List<String> getLabels() {
        return labels;
    }
}
