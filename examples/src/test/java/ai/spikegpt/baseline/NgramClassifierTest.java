package ai.spikegpt.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NgramClassifierTest {

    @Test
    void featuresAreWordsPairsAndMarkedCharacterGrams() {
        Set<String> f = NgramFeatures.of("A  dull");
        assertTrue(f.containsAll(List.of("a", "dull", "a dull", "# a ", "# a d", "#dull", "#ull ", "#ll ")), f.toString());
        // " a dull ": 3-grams 6, 4-grams 5, 5-grams 4; words 2, pairs 1
        assertEquals(2 + 1 + 6 + 5 + 4, f.size(), f.toString());
    }

    @Test
    void learnsWordsAndGeneralisesThroughCharacterGrams() {
        List<String> texts = List.of("a wonderful film", "wonderful acting", "a dreadful film", "dreadful acting",
                "truly wonderful", "truly dreadful");
        int[] labels = {1, 1, 0, 0, 1, 0};
        NgramClassifier c = NgramClassifier.fit(texts, labels, List.of("negative", "positive"), 1e-3);
        float[] good = c.probabilities("wonderful");
        float[] bad = c.probabilities("dreadful");
        assertEquals(1f, good[0] + good[1], 1e-5);
        assertTrue(good[1] > 0.5 && bad[0] > 0.5, good[1] + " " + bad[0]);
        // an unseen word shares character n-grams with a seen one
        assertTrue(c.probabilities("wonderfully")[1] > 0.5);
        assertTrue(c.probabilities("dreadfully")[0] > 0.5);
        assertArrayEquals(c.probabilities("a wonderful film"), c.probabilities("A  Wonderful   film"), 1e-6f);
    }
}
