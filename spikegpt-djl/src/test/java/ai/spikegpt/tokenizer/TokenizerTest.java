package ai.spikegpt.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.spikegpt.TestSupport;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {

    @TempDir Path dir;

    @Test
    void charTokenizerRoundTripsAndSaves() throws IOException {
        String corpus = "First Citizen:\nBefore we proceed any further, hear me speak. 🌹";
        CharTokenizer t = CharTokenizer.fit(corpus);
        assertEquals(corpus.codePoints().distinct().count(), t.vocabSize());
        long[] ids = t.encode(corpus);
        assertEquals(
                corpus.codePointCount(0, corpus.length()),
                ids.length,
                "one token per character, also beyond the BMP");
        assertEquals(corpus, t.decode(ids));
        t.save(dir);
        TextTokenizer loaded = TextTokenizer.load(dir);
        assertEquals("char", loaded.type());
        assertArrayEquals(ids, loaded.encode(corpus));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> t.encode("Zebra"));
        assertTrue(e.getMessage().contains("'Z' (U+005A) at position 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.decode(new long[] {t.vocabSize()}));
    }

    @Test
    void bpeTokenizerRoundTripsWithoutTruncation() throws IOException {
        Path file = TestSupport.shared().resolve("data/tokenizers/20B_tokenizer.json");
        try (BpeTokenizer t = BpeTokenizer.load(file)) {
            assertEquals(50277, t.vocabSize(), "GPT-NeoX: 50254 tokens + added tokens");
            assertTrue(t.endOfText().isPresent());
            String text = "The quick brown fox — naïve café, 東京 🚀. ".repeat(200);
            long[] ids = t.encode(text);
            assertTrue(ids.length > 512, "no silent truncation at 512 tokens (" + ids.length + ")");
            assertEquals(text, t.decode(ids));
            // streaming: pieces concatenate to the text, never showing a broken character
            StreamingDecoder decoder = t.newDecoder();
            StringBuilder sb = new StringBuilder();
            for (long id : t.encode("東京 🚀 café")) {
                String piece = decoder.add(id);
                assertTrue(
                        !piece.contains("\uFFFD"), "no replacement character in '" + piece + "'");
                sb.append(piece);
            }
            sb.append(decoder.flush());
            assertEquals("東京 🚀 café", sb.toString());
        }
    }

    @Test
    void missingTokenizerIsAClearError() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> TextTokenizer.load(dir));
        assertTrue(e.getMessage().contains("has no tokenizer"), e.getMessage());
    }
}
