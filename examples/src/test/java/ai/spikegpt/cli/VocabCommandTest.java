package ai.spikegpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.spikegpt.tokenizer.BpeTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spikegpt vocab}: GPT-2's first tokens, or those a weighted text uses most. */
class VocabCommandTest {

    @Test
    void fitsTheVocabularyToWeightedTexts(@TempDir Path tmp) throws Exception {
        Path general =
                Files.writeString(
                        tmp.resolve("general.txt"),
                        "The state of our Union is strong.\n".repeat(30));
        Path reviews =
                Files.writeString(
                        tmp.resolve("reviews.txt"), "An unwatchable, unfunny mess.\n".repeat(10));
        Path first = tmp.resolve("first.json");
        Path fitted = tmp.resolve("fitted.json");

        String printed = LogitsCommandTest.run("vocab", "--size", "512", "--out", first.toString());
        assertTrue(printed.contains("GPT-2's first 512 tokens"), printed);
        printed =
                LogitsCommandTest.run(
                        "vocab",
                        "--size",
                        "512",
                        "--fit",
                        general.toString(),
                        reviews + "=20",
                        "--out",
                        fitted.toString());
        assertTrue(printed.contains("the 512 GPT-2 tokens most used in"), printed);

        String words = " unwatchable, unfunny mess";
        try (BpeTokenizer a = BpeTokenizer.load(first);
                BpeTokenizer b = BpeTokenizer.load(fitted)) {
            assertEquals(513, b.vocabSize());
            assertTrue(
                    b.encode(words).length < a.encode(words).length - 2,
                    "the fitted vocabulary keeps more of the reviews' words whole");
            assertEquals(words, b.decode(b.encode(words)));
        }

        Object[] r =
                ImportExportCommandTest.cli(
                        "vocab",
                        "--size",
                        "512",
                        "--fit",
                        reviews + "=-1",
                        "--out",
                        tmp.resolve("x.json").toString());
        assertEquals(2, r[0]);
        assertTrue(
                r[2].toString().contains("the weight after '=' must be a positive number"),
                r[2].toString());
    }
}
