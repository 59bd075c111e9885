package ai.spikegpt.training;

import ai.spikegpt.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A plain-text corpus split for language modelling: the first part for training, the rest for
 * validation (Tiny Shakespeare's usual split is 90 / 10 by characters).
 *
 * @param train the training text
 * @param validation the validation text
 */
public record TextCorpus(String train, String validation) {

    /**
     * Reads a UTF-8 text file and splits it.
     *
     * @param file the file
     * @param trainFraction the fraction of characters for training, in (0, 1)
     * @return the corpus
     * @throws IOException if the file cannot be read or is not UTF-8 text
     */
    public static TextCorpus read(Path file, double trainFraction) throws IOException {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("the training fraction must be in (0, 1), got " + trainFraction);
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException("no corpus file at " + file);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + " is not UTF-8 text", e);
        }
        if (text.isBlank()) {
            throw new IOException(file + " is empty: a language model needs text to learn from");
        }
        int cut = (int) (text.length() * trainFraction);
        if (cut > 0 && Character.isLowSurrogate(text.charAt(cut))) {
            cut++; // never split a character
        }
        return new TextCorpus(text.substring(0, cut), text.substring(cut));
    }

    /**
     * Encodes a text in pieces of about a megabyte cut at line ends (tokenizers are faster on
     * pieces, and a piece boundary at a line end changes no token).
     *
     * @param text the text
     * @param tokenizer the tokenizer
     * @return the token stream
     */
    public static int[] encode(String text, TextTokenizer tokenizer) {
        java.util.List<long[]> pieces = new java.util.ArrayList<>();
        int total = 0;
        int from = 0;
        while (from < text.length()) {
            int to = Math.min(text.length(), from + (1 << 20));
            int newline = text.indexOf('\n', to);
            to = to == text.length() || newline < 0 ? text.length() : newline + 1;
            long[] ids = tokenizer.encode(text.substring(from, to));
            pieces.add(ids);
            total += ids.length;
            from = to;
        }
        int[] out = new int[total];
        int i = 0;
        for (long[] piece : pieces) {
            for (long id : piece) {
                out[i++] = Math.toIntExact(id);
            }
        }
        return out;
    }
}
