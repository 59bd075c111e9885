package ai.spikegpt.tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Turns text into SpikeGPT token ids and back: character-level ({@link CharTokenizer}) or
 * byte-level BPE ({@link BpeTokenizer}), behind one interface so that datasets, translators and the
 * generator do not care which. A model directory holds its tokenizer next to the weights: {@value
 * CharTokenizer#FILE} or {@value BpeTokenizer#FILE}.
 */
public interface TextTokenizer extends AutoCloseable {

    /**
     * Encodes text, adding no special tokens and never truncating.
     *
     * @param text the text
     * @return the token ids
     * @throws IllegalArgumentException if the text cannot be represented (e.g. a character outside
     *     a character-level vocabulary), naming the character
     */
    long[] encode(String text);

    /**
     * Decodes token ids.
     *
     * @param ids the token ids
     * @return the text
     * @throws IllegalArgumentException for an id outside the vocabulary
     */
    String decode(long[] ids);

    /**
     * @return the number of token ids, the model's {@code vocab_size} must be at least this
     */
    int vocabSize();

    /**
     * @return "char" or "bpe"
     */
    String type();

    /**
     * @return the end-of-text token id, if the vocabulary has one
     */
    OptionalLong endOfText();

    /**
     * Returns a decoder for streaming: it turns ids into text one at a time, holding back
     * incomplete characters (a byte-level BPE token can end inside a UTF-8 sequence).
     *
     * @return a new decoder
     */
    default StreamingDecoder newDecoder() {
        return new StreamingDecoder(this);
    }

    /**
     * Writes the tokenizer's file into a model directory.
     *
     * @param modelDir the directory
     * @throws IOException if writing fails
     */
    void save(Path modelDir) throws IOException;

    /**
     * Loads the tokenizer of a model directory.
     *
     * @param modelDir the directory
     * @return the tokenizer
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if the directory has no tokenizer
     */
    static TextTokenizer load(Path modelDir) throws IOException {
        if (Files.isRegularFile(modelDir.resolve(CharTokenizer.FILE))) {
            return CharTokenizer.load(modelDir.resolve(CharTokenizer.FILE));
        }
        if (Files.isRegularFile(modelDir.resolve(BpeTokenizer.FILE))) {
            return BpeTokenizer.load(modelDir.resolve(BpeTokenizer.FILE));
        }
        throw new IllegalArgumentException(
                modelDir
                        + " has no tokenizer: expected "
                        + CharTokenizer.FILE
                        + " or "
                        + BpeTokenizer.FILE);
    }

    @Override
    default void close() {}
}
