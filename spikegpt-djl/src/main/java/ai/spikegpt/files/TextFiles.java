package ai.spikegpt.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads the text files users give (corpora, labelled examples): strictly decoded, so a file in
 * another encoding is refused with the line where it goes wrong instead of read as garbage, and
 * without the byte-order mark some editors put first (it would otherwise become part of the first
 * label or token).
 */
public final class TextFiles {

    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private TextFiles() {}

    /**
     * Reads a UTF-8 text file.
     *
     * @param file the file
     * @return its text, without a leading byte-order mark
     * @throws IOException if it cannot be read or is not UTF-8
     */
    public static String readUtf8(Path file) throws IOException {
        return read(file, StandardCharsets.UTF_8);
    }

    /**
     * Reads a text file in a given encoding.
     *
     * @param file the file
     * @param charset its encoding
     * @return its text, without a leading byte-order mark
     * @throws NotTextException if it holds bytes that are not text in that encoding, naming the
     *     line and the byte
     * @throws IOException if it cannot be read
     */
    public static String read(Path file, Charset charset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        CharsetDecoder decoder =
                charset.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out =
                CharBuffer.allocate(
                        (int) Math.ceil(bytes.length * (double) decoder.maxCharsPerByte()) + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            throw new NotTextException(
                    String.format(
                            Locale.ROOT,
                            "%s is not %s text: line %d has the byte 0x%02X, which is not %s; convert the file to %s "
                                    + "(e.g. iconv -f ISO-8859-1 -t %s)",
                            file,
                            charset.name(),
                            lineOf(bytes, offset),
                            bytes[offset] & 0xFF,
                            charset.name(),
                            charset.name(),
                            charset.name()));
        }
        out.flip();
        if (out.hasRemaining() && out.charAt(0) == BYTE_ORDER_MARK) {
            out.get();
        }
        return out.toString();
    }

    /** A file that is not text in the expected encoding. */
    public static final class NotTextException extends IOException {
        private static final long serialVersionUID = 1L;

        NotTextException(String message) {
            super(message);
        }
    }

    private static int lineOf(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }
}
