package ai.spikegpt.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.spikegpt.files.AtomicFiles;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A byte-level BPE tokenizer from a Hugging Face {@value #FILE}, through DJL's {@link
 * HuggingFaceTokenizer}, with truncation off (DJL otherwise cuts silently at 512 tokens) and no
 * special tokens added: the model decides what a sequence is.
 */
public final class BpeTokenizer implements TextTokenizer {

    /** The file name in a model directory. */
    public static final String FILE = "tokenizer.json";

    private static final String END_OF_TEXT = "<|endoftext|>";

    private final Path file;
    private final HuggingFaceTokenizer tokenizer;
    private final int vocabSize;
    private final OptionalLong endOfText;

    private BpeTokenizer(
            Path file, HuggingFaceTokenizer tokenizer, int vocabSize, OptionalLong endOfText) {
        this.file = file;
        this.tokenizer = tokenizer;
        this.vocabSize = vocabSize;
        this.endOfText = endOfText;
    }

    /**
     * Loads a {@value #FILE}.
     *
     * @param file the tokenizer file
     * @return the tokenizer
     * @throws IOException if it cannot be read or is not a tokenizer
     */
    public static BpeTokenizer load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no tokenizer file at " + file);
        }
        int size = 0;
        OptionalLong eot = OptionalLong.empty();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonObject json = JsonParser.parseReader(reader).getAsJsonObject();
            JsonObject vocab = json.getAsJsonObject("model").getAsJsonObject("vocab");
            for (Map.Entry<String, JsonElement> e : vocab.entrySet()) {
                size = Math.max(size, e.getValue().getAsInt() + 1);
                if (END_OF_TEXT.equals(e.getKey())) {
                    eot = OptionalLong.of(e.getValue().getAsLong());
                }
            }
            if (json.has("added_tokens") && json.get("added_tokens").isJsonArray()) {
                for (JsonElement t : json.getAsJsonArray("added_tokens")) {
                    JsonObject o = t.getAsJsonObject();
                    size = Math.max(size, o.get("id").getAsInt() + 1);
                    if (END_OF_TEXT.equals(o.get("content").getAsString())) {
                        eot = OptionalLong.of(o.get("id").getAsLong());
                    }
                }
            }
        } catch (RuntimeException e) {
            throw new IOException(
                    file + " is not a Hugging Face tokenizer.json: " + e.getMessage(), e);
        }
        HuggingFaceTokenizer hf =
                HuggingFaceTokenizer.builder()
                        .optTokenizerPath(file)
                        .optAddSpecialTokens(false)
                        .optTruncation(false)
                        .optPadding(false)
                        .build();
        return new BpeTokenizer(file, hf, size, eot);
    }

    @Override
    public long[] encode(String text) {
        return tokenizer.encode(text, false, false).getIds();
    }

    @Override
    public String decode(long[] ids) {
        for (long id : ids) {
            if (id < 0 || id >= vocabSize) {
                throw new IllegalArgumentException(
                        "token id " + id + " is outside the vocabulary of " + vocabSize);
            }
        }
        return tokenizer.decode(ids, false);
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public String type() {
        return "bpe";
    }

    @Override
    public OptionalLong endOfText() {
        return endOfText;
    }

    @Override
    public void save(Path modelDir) throws IOException {
        Path target = modelDir.resolve(FILE);
        if (!Files.exists(target) || !Files.isSameFile(file, target)) {
            // the bytes, not the file: a copy would keep a read-only source's mode
            AtomicFiles.write(target, Files.readAllBytes(file));
        }
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
