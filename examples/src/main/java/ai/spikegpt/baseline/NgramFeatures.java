package ai.spikegpt.baseline;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The features of a text for the bag-of-n-grams classifier: its words, its word pairs, and the
 * character 3- to 5-grams of its words with their spaces (so a word the training set lacks still
 * shares pieces with words it has: "unwatchable" with "watch" and "able").
 *
 * <pre>{@code
 * NgramFeatures.of("a dull film")
 *   = {"a", "dull", "film", "a dull", "dull film", "# a ", "# a d", ..., "#ilm "}
 * }</pre>
 *
 * Words are the text's whitespace-separated pieces, lower-cased; character n-grams are marked with
 * {@code #} so they never equal a word.
 */
public final class NgramFeatures {

    private static final int SHORTEST = 3;
    private static final int LONGEST = 5;

    private NgramFeatures() {}

    /**
     * @param text a text
     * @return its lower-case words
     */
    public static List<String> words(String text) {
        return List.of(text.toLowerCase(Locale.ROOT).strip().split("\\s+"));
    }

    /**
     * @param text a text
     * @return its distinct features, in first-seen order
     */
    public static Set<String> of(String text) {
        List<String> words = words(text);
        Set<String> features = new LinkedHashSet<>(words);
        for (int i = 1; i < words.size(); i++) {
            features.add(words.get(i - 1) + " " + words.get(i));
        }
        String spaced = " " + String.join(" ", words) + " ";
        for (int n = SHORTEST; n <= LONGEST; n++) {
            for (int i = 0; i + n <= spaced.length(); i++) {
                features.add("#" + spaced.substring(i, i + n));
            }
        }
        return features;
    }
}
