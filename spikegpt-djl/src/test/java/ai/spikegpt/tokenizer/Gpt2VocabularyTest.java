package ai.spikegpt.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Gpt2VocabularyTest {

    @TempDir Path dir;

    static final String TEXT =
            "Mr. Speaker, Mr. Vice President, members of Congress: tonight, the state of our Union "
                    + "is strong!\n\tIt's 2021 — naïve café, 東京 and 🚀 emojis;   spaces and\r\nnewlines.   ";

    @Test
    void fullVocabularyEncodesLikeGpt2() throws Exception {
        Path file = dir.resolve("tokenizer.json");
        Gpt2Vocabulary.write(Gpt2Vocabulary.FULL_SIZE, file);
        Encoding gpt2 = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.R50K_BASE);
        int[] expected = gpt2.encode(TEXT).toArray();
        try (BpeTokenizer ours = BpeTokenizer.load(file)) {
            long[] ids = ours.encode(TEXT);
            long[] want = new long[expected.length];
            for (int i = 0; i < expected.length; i++) {
                want[i] = expected[i];
            }
            assertArrayEquals(want, ids, "the same token ids as jtokkit's GPT-2 encoder");
            assertEquals(TEXT, ours.decode(ids));
            assertEquals(50257, ours.vocabSize());
            assertEquals(50256, ours.endOfText().getAsLong(), "<|endoftext|> keeps GPT-2's id");
        }
    }

    @Test
    void truncatedVocabularyRoundTripsAnyText() throws Exception {
        Path file = dir.resolve("tokenizer.json");
        Gpt2Vocabulary.write(4096, file);
        try (BpeTokenizer ours = BpeTokenizer.load(file)) {
            assertEquals(4097, ours.vocabSize());
            long[] ids = ours.encode(TEXT);
            for (long id : ids) {
                assertTrue(id < 4096, "only the first 4096 tokens are used");
            }
            assertEquals(TEXT, ours.decode(ids), "byte-level BPE never loses a character");
            assertEquals(4096, ours.endOfText().getAsLong());
        }
    }

    @Test
    void fittedVocabularyKeepsItsTextsWordsWhole() throws Exception {
        Path full = dir.resolve("full.json");
        Path first = dir.resolve("first.json");
        Path fitted = dir.resolve("fitted.json");
        Gpt2Vocabulary.write(Gpt2Vocabulary.FULL_SIZE, full);
        Gpt2Vocabulary.write(1024, first);
        String words = " unwatchable, unfunny mess";
        double[] counts = new double[Gpt2Vocabulary.FULL_SIZE + 1];
        try (BpeTokenizer gpt2 = BpeTokenizer.load(full)) {
            for (long id : gpt2.encode(words.repeat(20) + TEXT)) {
                counts[(int) id]++;
            }
            Gpt2Vocabulary.writeFitted(1024, counts, fitted);
            try (BpeTokenizer firstRanks = BpeTokenizer.load(first);
                    BpeTokenizer ours = BpeTokenizer.load(fitted)) {
                int whole = gpt2.encode(words).length;
                assertEquals(
                        whole,
                        ours.encode(words).length,
                        "the fitted vocabulary encodes its text as GPT-2 does");
                assertTrue(
                        firstRanks.encode(words).length > whole + 2,
                        "GPT-2's first 1024 tokens split these words");
                assertEquals(1025, ours.vocabSize());
                assertEquals(1024, ours.endOfText().getAsLong());
                long[] ids = ours.encode(TEXT);
                for (long id : ids) {
                    assertTrue(id < 1024);
                }
                assertEquals(TEXT, ours.decode(ids), "every byte is still a token");
            }
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> Gpt2Vocabulary.writeFitted(1024, new double[10], fitted));
    }
}
