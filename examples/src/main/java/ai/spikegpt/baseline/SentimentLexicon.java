package ai.spikegpt.baseline;

import ai.spikegpt.files.TextFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A sentiment lexicon, word to valence, in VADER's format ({@code word<TAB>mean valence<TAB>...},
 * valence -4 to +4; Hutto and Gilbert 2014, "VADER: A Parsimonious Rule-based Model for Sentiment
 * Analysis of Social Media Text"). It carries what SST's 6,920 sentences do not: the valence of
 * words that film critics rarely write ("refund", "delicious", "flimsy").
 *
 * <p>A text's score sums the valences of its words, a word after a negation within three words
 * ("not", "n't", "never", ...) counting {@code -0.74} times its valence, as VADER does.
 */
public final class SentimentLexicon {

    private static final Set<String> NEGATIONS =
            Set.of(
                    "not", "n't", "no", "never", "nothing", "none", "neither", "nor", "nobody",
                    "nowhere", "without", "hardly", "cannot", "dont", "didnt", "isnt", "wasnt",
                    "doesnt");

    /** The largest valence a word can have. */
    public static final double STRONGEST = 4;

    private static final double NEGATED = -0.74;
    private static final int NEGATION_REACH = 3;

    private final Map<String, Double> valence;

    private SentimentLexicon(Map<String, Double> valence) {
        this.valence = Map.copyOf(valence);
    }

    /**
     * Reads a lexicon in VADER's format.
     *
     * @param file the lexicon file
     * @return the lexicon
     * @throws IOException if it cannot be read or a line has no valence
     */
    public static SentimentLexicon read(Path file) throws IOException {
        Map<String, Double> valence = new HashMap<>();
        String[] lines = TextFiles.readUtf8(file).split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] fields = lines[i].split("\t");
            try {
                valence.put(fields[0].toLowerCase(Locale.ROOT), Double.parseDouble(fields[1]));
            } catch (RuntimeException e) {
                throw new IOException(
                        file
                                + ":"
                                + (i + 1)
                                + ": expected WORD<TAB>VALENCE, found '"
                                + lines[i]
                                + "'");
            }
        }
        return new SentimentLexicon(valence);
    }

    /**
     * @param words a text's lower-case words
     * @return the sums of its positive and of its negative (as a positive number) word valences
     */
    public double[] score(List<String> words) {
        double positive = 0;
        double negative = 0;
        for (int i = 0; i < words.size(); i++) {
            Double v = valence.get(words.get(i));
            if (v == null) {
                continue;
            }
            double value = negated(words, i) ? NEGATED * v : v;
            if (value > 0) {
                positive += value;
            } else {
                negative -= value;
            }
        }
        return new double[] {positive, negative};
    }

    /**
     * @return every word with its valence
     */
    public Map<String, Double> entries() {
        return valence;
    }

    private static boolean negated(List<String> words, int i) {
        for (int j = Math.max(0, i - NEGATION_REACH); j < i; j++) {
            if (NEGATIONS.contains(words.get(j))) {
                return true;
            }
        }
        return false;
    }
}
