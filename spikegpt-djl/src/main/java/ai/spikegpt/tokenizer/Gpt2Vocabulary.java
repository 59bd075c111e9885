package ai.spikegpt.tokenizer;

import ai.spikegpt.files.AtomicFiles;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a Hugging Face {@code tokenizer.json} for GPT-2's byte-level BPE from the ranks that ship
 * in the Maven artifact {@code com.knuddels:jtokkit} (resource {@code r50k_base.tiktoken}, MIT), so
 * that the model zoo's BPE tokenizer needs no download. A smaller vocabulary keeps {@code size} of
 * GPT-2's tokens, in GPT-2's order, and adds {@code <|endoftext|>} after them: either the first
 * {@code size} ranks (256 byte tokens and the earliest merges: {@link #write}), or the tokens that
 * full GPT-2 BPE uses most often in a given text ({@link #writeFitted}), which keeps the words of
 * that text whole more often at the same model size.
 *
 * <p>A tiktoken file lists tokens and ranks but not merges. Each merge is recovered the way the
 * original vocabulary was built: running BPE on the token's bytes with only lower-ranked merges
 * leaves exactly two parts, and those are the merge. Bytes map to printable characters with GPT-2's
 * {@code bytes_to_unicode} table, as the {@code ByteLevel} pre-tokenizer expects.
 */
public final class Gpt2Vocabulary {

    /** The classpath resource with the GPT-2 ranks. */
    static final String RESOURCE = "/com/knuddels/jtokkit/r50k_base.tiktoken";

    /** The size of GPT-2's full vocabulary without its end-of-text token. */
    public static final int FULL_SIZE = 50256;

    private Gpt2Vocabulary() {}

    /**
     * Writes a {@code tokenizer.json} with the first {@code size} GPT-2 tokens and {@code
     * <|endoftext|>} as id {@code size}.
     *
     * @param size the number of BPE tokens, 256 to 50256
     * @param file the file to write
     * @throws IOException if the ranks cannot be read or the file written
     */
    public static void write(int size, Path file) throws IOException {
        checkSize(size);
        writeJson(readRanks(size), file);
    }

    /**
     * Writes a {@code tokenizer.json} with the {@code size} GPT-2 tokens that full GPT-2 BPE uses
     * most often in a text, and {@code <|endoftext|>} as id {@code size}. Tokens are taken by
     * descending count, each together with the tokens it is merged from (so that every kept token
     * can still be built), while they fit, and tokens the text does not use fill any room left in
     * GPT-2's order; the 256 byte tokens are always kept, so any text can still be encoded. BPE
     * with a subset of GPT-2's merges that is closed in this way encodes a word exactly as full
     * GPT-2 does whenever the word's GPT-2 tokens are kept.
     *
     * @param size the number of BPE tokens, 256 to 50256
     * @param counts how often (or how much, with weights) full GPT-2 uses each token id, {@code
     *     FULL_SIZE} entries or more (anything past {@code FULL_SIZE}, e.g. end of text, is
     *     ignored)
     * @param file the file to write
     * @throws IOException if the ranks cannot be read or the file written
     */
    public static void writeFitted(int size, double[] counts, Path file) throws IOException {
        checkSize(size);
        if (counts.length < FULL_SIZE) {
            throw new IllegalArgumentException(
                    "token counts need one entry per GPT-2 token ("
                            + FULL_SIZE
                            + "), got "
                            + counts.length);
        }
        List<byte[]> all = readRanks(FULL_SIZE);
        Map<String, Integer> ranks = ranks(all);
        Set<Integer> kept = new TreeSet<>(); // GPT-2 ids, in GPT-2's order
        for (int i = 0; i < 256; i++) {
            kept.add(i);
        }
        Integer[] byCount = new Integer[FULL_SIZE];
        for (int i = 0; i < FULL_SIZE; i++) {
            byCount[i] = i;
        }
        Arrays.sort(
                byCount,
                (x, y) -> Double.compare(counts[y], counts[x])); // stable: ties keep GPT-2's order
        for (int id : byCount) {
            if (kept.size() >= size) {
                break;
            }
            Set<Integer> missing = new HashSet<>();
            addMissing(id, all, ranks, kept, missing);
            if (kept.size() + missing.size() <= size) {
                kept.addAll(missing);
            }
        }
        writeJson(kept.stream().map(all::get).toList(), file);
    }

    private static void checkSize(int size) {
        if (size < 256 || size > FULL_SIZE) {
            throw new IllegalArgumentException(
                    "a GPT-2 vocabulary has 256 to " + FULL_SIZE + " tokens, got " + size);
        }
    }

    /**
     * Collects a token and, recursively, the two tokens of the merge that makes it, unless kept.
     */
    private static void addMissing(
            int id,
            List<byte[]> all,
            Map<String, Integer> ranks,
            Set<Integer> kept,
            Set<Integer> missing) {
        if (kept.contains(id) || !missing.add(id)) {
            return;
        }
        for (byte[] part : bpe(all.get(id), ranks, id)) {
            addMissing(ranks.get(key(part)), all, ranks, kept, missing);
        }
    }

    private static Map<String, Integer> ranks(List<byte[]> tokens) {
        Map<String, Integer> ranks = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            ranks.put(key(tokens.get(i)), i);
        }
        return ranks;
    }

    /** Writes the tokens (GPT-2's, in GPT-2's order, closed under their merges) as ids 0, 1, ... */
    private static void writeJson(List<byte[]> tokens, Path file) throws IOException {
        int size = tokens.size();
        Map<String, Integer> ranks = ranks(tokens);
        String[] unicode = bytesToUnicode();
        JsonObject vocab = new JsonObject();
        for (int i = 0; i < tokens.size(); i++) {
            vocab.addProperty(printable(tokens.get(i), unicode), i);
        }
        JsonArray merges = new JsonArray();
        for (int i = 0; i < tokens.size(); i++) {
            byte[] t = tokens.get(i);
            if (t.length < 2) {
                continue;
            }
            List<byte[]> parts = bpe(t, ranks, i);
            if (parts.size() != 2) {
                throw new IllegalStateException(
                        "GPT-2 token " + i + " does not split into one merge");
            }
            merges.add(printable(parts.get(0), unicode) + " " + printable(parts.get(1), unicode));
        }

        JsonObject json = new JsonObject();
        json.addProperty("version", "1.0");
        json.add("truncation", null);
        json.add("padding", null);
        JsonArray added = new JsonArray();
        JsonObject eot = new JsonObject();
        eot.addProperty("id", size);
        eot.addProperty("content", "<|endoftext|>");
        eot.addProperty("single_word", false);
        eot.addProperty("lstrip", false);
        eot.addProperty("rstrip", false);
        eot.addProperty("normalized", false);
        eot.addProperty("special", true);
        added.add(eot);
        json.add("added_tokens", added);
        json.add("normalizer", null);
        json.add("pre_tokenizer", byteLevel(true));
        json.add("post_processor", byteLevel(false));
        json.add("decoder", byteLevel(false));
        JsonObject model = new JsonObject();
        model.addProperty("type", "BPE");
        model.add("dropout", null);
        model.add("unk_token", null);
        model.addProperty("continuing_subword_prefix", "");
        model.addProperty("end_of_word_suffix", "");
        model.addProperty("fuse_unk", false);
        model.addProperty("byte_fallback", false);
        model.add("vocab", vocab);
        model.add("merges", merges);
        json.add("model", model);
        AtomicFiles.writeString(
                file, new GsonBuilder().disableHtmlEscaping().create().toJson(json));
    }

    private static JsonObject byteLevel(boolean regex) {
        JsonObject o = new JsonObject();
        o.addProperty("type", "ByteLevel");
        o.addProperty("add_prefix_space", false);
        o.addProperty("trim_offsets", true);
        o.addProperty("use_regex", regex);
        return o;
    }

    private static List<byte[]> readRanks(int size) throws IOException {
        byte[][] tokens = new byte[size][];
        try (InputStream in = Gpt2Vocabulary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(
                        "GPT-2 ranks not found on the classpath: "
                                + RESOURCE
                                + " (com.knuddels:jtokkit)");
            }
            BufferedReader r =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(" ");
                int rank = Integer.parseInt(f[1]);
                if (rank < size) {
                    tokens[rank] = Base64.getDecoder().decode(f[0]);
                }
            }
        }
        List<byte[]> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            if (tokens[i] == null) {
                throw new IOException("GPT-2 rank " + i + " is missing from " + RESOURCE);
            }
            out.add(tokens[i]);
        }
        return out;
    }

    /** Byte-pair encoding of a token using only merges ranked below {@code maxRank}. */
    private static List<byte[]> bpe(byte[] token, Map<String, Integer> ranks, int maxRank) {
        List<byte[]> parts = new ArrayList<>();
        for (byte b : token) {
            parts.add(new byte[] {b});
        }
        while (parts.size() > 1) {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < parts.size(); i++) {
                Integer rank = ranks.get(key(concat(parts.get(i), parts.get(i + 1))));
                if (rank != null && rank < bestRank) {
                    best = i;
                    bestRank = rank;
                }
            }
            if (best < 0 || bestRank >= maxRank) {
                break;
            }
            parts.set(best, concat(parts.get(best), parts.get(best + 1)));
            parts.remove(best + 1);
        }
        return parts;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String key(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static String printable(byte[] bytes, String[] unicode) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(unicode[b & 0xff]);
        }
        return sb.toString();
    }

    /** GPT-2's bytes_to_unicode: printable bytes map to themselves, the rest to U+0100 onwards. */
    static String[] bytesToUnicode() {
        String[] table = new String[256];
        Map<Integer, Integer> map = new LinkedHashMap<>();
        for (int b = 0; b < 256; b++) {
            boolean printable =
                    (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            if (printable) {
                map.put(b, b);
            }
        }
        int next = 0;
        for (int b = 0; b < 256; b++) {
            if (!map.containsKey(b)) {
                map.put(b, 256 + next++);
            }
        }
        map.forEach((b, c) -> table[b] = new String(Character.toChars(c)));
        return table;
    }
}
