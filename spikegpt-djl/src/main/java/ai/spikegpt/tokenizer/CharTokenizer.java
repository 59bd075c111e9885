package ai.spikegpt.tokenizer;

import ai.spikegpt.files.AtomicFiles;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * A character-level vocabulary: one token per Unicode code point seen in the training corpus, in
 * code-point order (the classic char-level language model setup, as in the SpikeGPT paper's enwik8
 * model). Saved as {@value #FILE}: {@code {"type": "char", "chars": "..."}}.
 */
public final class CharTokenizer implements TextTokenizer {

    /** The file name in a model directory. */
    public static final String FILE = "chars.json";

    private final int[] codePoints;
    private final Map<Integer, Integer> ids = new HashMap<>();

    private CharTokenizer(int[] codePoints) {
        if (codePoints.length < 2) {
            throw new IllegalArgumentException(
                    "a character vocabulary needs at least 2 characters");
        }
        this.codePoints = codePoints;
        for (int i = 0; i < codePoints.length; i++) {
            ids.put(codePoints[i], i);
        }
    }

    /**
     * Builds the vocabulary of a corpus.
     *
     * @param corpus the training text
     * @return the tokenizer
     */
    public static CharTokenizer fit(String corpus) {
        TreeSet<Integer> set = new TreeSet<>();
        corpus.codePoints().forEach(set::add);
        return new CharTokenizer(set.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Reads a saved vocabulary.
     *
     * @param file the {@value #FILE} file
     * @return the tokenizer
     * @throws IOException if the file cannot be read or is malformed
     */
    public static CharTokenizer load(Path file) throws IOException {
        try {
            JsonObject json =
                    JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                            .getAsJsonObject();
            if (!"char".equals(json.get("type").getAsString())) {
                throw new IOException(file + " is not a character vocabulary");
            }
            return new CharTokenizer(json.get("chars").getAsString().codePoints().toArray());
        } catch (RuntimeException e) {
            throw new IOException(
                    file + " is not a valid character vocabulary: " + e.getMessage(), e);
        }
    }

    @Override
    public void save(Path modelDir) throws IOException {
        JsonObject json = new JsonObject();
        json.addProperty("type", "char");
        json.addProperty("chars", new String(codePoints, 0, codePoints.length));
        AtomicFiles.writeString(modelDir.resolve(FILE), json + "\n");
    }

    @Override
    public long[] encode(String text) {
        int[] cps = text.codePoints().toArray();
        long[] out = new long[cps.length];
        for (int i = 0; i < cps.length; i++) {
            Integer id = ids.get(cps[i]);
            if (id == null) {
                throw new IllegalArgumentException(
                        String.format(
                                "character '%s' (U+%04X) at position %d is not in this model's vocabulary of %d characters",
                                new String(Character.toChars(cps[i])),
                                cps[i],
                                i,
                                codePoints.length));
            }
            out[i] = id;
        }
        return out;
    }

    @Override
    public String decode(long[] tokens) {
        StringBuilder sb = new StringBuilder(tokens.length);
        for (long id : tokens) {
            if (id < 0 || id >= codePoints.length) {
                throw new IllegalArgumentException(
                        "token id " + id + " is outside the vocabulary of " + codePoints.length);
            }
            sb.appendCodePoint(codePoints[(int) id]);
        }
        return sb.toString();
    }

    @Override
    public int vocabSize() {
        return codePoints.length;
    }

    @Override
    public String type() {
        return "char";
    }

    @Override
    public OptionalLong endOfText() {
        return OptionalLong.empty();
    }

    /**
     * Returns whether a character is in the vocabulary.
     *
     * @param codePoint the character
     * @return whether it can be encoded
     */
    public boolean contains(int codePoint) {
        return ids.containsKey(codePoint);
    }
}
