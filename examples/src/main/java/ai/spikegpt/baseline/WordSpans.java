package ai.spikegpt.baseline;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random word spans of texts: phrases for a teacher to label, as SST's treebank labels the phrases
 * of its sentences, so a student learns the sentiment of parts and not only of whole sentences.
 */
public final class WordSpans {

    private static final int SHORTEST_TEXT = 4;

    private WordSpans() {}

    /**
     * Cuts {@code perText} spans from each text of at least four words: a length from 2 to one word
     * less than the text, then a start, both uniform.
     *
     * @param texts the texts
     * @param perText spans per text
     * @param seed the random seed
     * @return the spans, text by text
     */
    public static List<String> of(List<String> texts, int perText, long seed) {
        Random random = new Random(seed);
        List<String> spans = new ArrayList<>();
        for (String text : texts) {
            String[] words = text.strip().split("\\s+");
            for (int i = 0; words.length >= SHORTEST_TEXT && i < perText; i++) {
                int length = 2 + random.nextInt(words.length - 2);
                int begin = random.nextInt(words.length - length + 1);
                spans.add(String.join(" ", List.of(words).subList(begin, begin + length)));
            }
        }
        return spans;
    }
}
