package ai.spikegpt.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class WordSpansTest {

    @Test
    void cutsSeededSpansOfTwoToOneLessThanAllWords() {
        List<String> texts = List.of("a b c d e", "too short", "one two three four");
        List<String> spans = WordSpans.of(texts, 3, 7);
        assertEquals(6, spans.size(), "three from each text of at least four words: " + spans);
        for (int i = 0; i < spans.size(); i++) {
            String text = texts.get(i < 3 ? 0 : 2);
            int words = spans.get(i).split(" ").length;
            assertTrue(
                    words >= 2 && words < text.split(" ").length && text.contains(spans.get(i)),
                    spans.get(i));
        }
        assertEquals(spans, WordSpans.of(texts, 3, 7), "the same seed gives the same spans");
    }
}
