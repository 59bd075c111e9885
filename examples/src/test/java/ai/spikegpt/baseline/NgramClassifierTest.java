package ai.spikegpt.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NgramClassifierTest {

    @Test
    void featuresAreWordsPairsAndMarkedCharacterGrams() {
        Set<String> f = NgramFeatures.of("A  dull");
        assertTrue(
                f.containsAll(
                        List.of("a", "dull", "a dull", "# a ", "# a d", "#dull", "#ull ", "#ll ")),
                f.toString());
        // " a dull ": 3-grams 6, 4-grams 5, 5-grams 4; words 2, pairs 1
        assertEquals(2 + 1 + 6 + 5 + 4, f.size(), f.toString());
    }

    @Test
    void learnsWordsAndGeneralisesThroughCharacterGrams() {
        List<String> texts =
                List.of(
                        "a wonderful film",
                        "wonderful acting",
                        "a dreadful film",
                        "dreadful acting",
                        "truly wonderful",
                        "truly dreadful");
        int[] labels = {1, 1, 0, 0, 1, 0};
        NgramClassifier c =
                NgramClassifier.fit(texts, labels, List.of("negative", "positive"), 1e-3, null);
        float[] good = c.probabilities("wonderful");
        float[] bad = c.probabilities("dreadful");
        assertEquals(1f, good[0] + good[1], 1e-5);
        assertTrue(good[1] > 0.5 && bad[0] > 0.5, good[1] + " " + bad[0]);
        // an unseen word shares character n-grams with a seen one
        assertTrue(c.probabilities("wonderfully")[1] > 0.5);
        assertTrue(c.probabilities("dreadfully")[0] > 0.5);
        assertArrayEquals(
                c.probabilities("a wonderful film"), c.probabilities("A  Wonderful   film"), 1e-6f);
    }

    @Test
    void aLexiconCarriesWordsTheTrainingTextsLack(@TempDir Path dir) throws Exception {
        SentimentLexicon lexicon =
                SentimentLexicon.read(
                        Files.writeString(
                                dir.resolve("lexicon.txt"),
                                "great\t3.1\t0.5\t[3, 3]\nawful\t-3.4\t0.5\t[-3, -4]\n"
                                        + "superb\t3.1\t0.5\t[3]\nyucky\t-2.0\t0.5\t[-2]\n"));
        assertArrayEquals(
                new double[] {3.1, 0}, lexicon.score(List.of("a", "great", "film")), 1e-9);
        assertArrayEquals(
                new double[] {0.74 * 3.4, 3.1 * 0.74},
                lexicon.score(List.of("not", "awful", "nor", "great")),
                1e-9);

        List<String> texts =
                List.of(
                        "great film",
                        "great acting",
                        "awful film",
                        "awful acting",
                        "great",
                        "awful");
        int[] labels = {1, 1, 0, 0, 1, 0};
        NgramClassifier c =
                NgramClassifier.fit(texts, labels, List.of("negative", "positive"), 1e-3, lexicon);
        assertTrue(
                c.probabilities("superb")[1] > 0.5,
                "an unseen lexicon word: " + c.probabilities("superb")[1]);
        assertTrue(
                c.probabilities("yucky")[0] > 0.5,
                "an unseen lexicon word: " + c.probabilities("yucky")[0]);
    }
}
