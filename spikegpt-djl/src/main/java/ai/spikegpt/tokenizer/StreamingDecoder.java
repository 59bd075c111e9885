package ai.spikegpt.tokenizer;

import java.util.Arrays;

/**
 * Decodes a growing token sequence into text pieces, for printing tokens as they are generated. A
 * byte-level BPE token can end in the middle of a multi-byte character; such a piece is held back
 * (it decodes to U+FFFD) until the next token completes it.
 */
public final class StreamingDecoder {

    private static final int WINDOW = 8;

    private final TextTokenizer tokenizer;
    private long[] pending = new long[0];

    StreamingDecoder(TextTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /**
     * Adds a token and returns the text it completes (possibly empty).
     *
     * @param id the next token id
     * @return the new text
     */
    public String add(long id) {
        long[] next = Arrays.copyOf(pending, pending.length + 1);
        next[pending.length] = id;
        String text = tokenizer.decode(next);
        if (text.endsWith("\uFFFD") && next.length < WINDOW) {
            pending = next;
            return "";
        }
        pending = new long[0];
        return text;
    }

    /**
     * @return the text held back, decoded as it is (call at the end of a stream)
     */
    public String flush() {
        String text = pending.length == 0 ? "" : tokenizer.decode(pending);
        pending = new long[0];
        return text;
    }
}
