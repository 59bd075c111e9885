package ai.spikegpt.tokenizer;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How text is rewritten before it is tokenized, so that what a user types looks like what the model
 * was trained on. The choice is part of the model ({@code text_normalization} in {@code
 * config.json}).
 *
 * <ul>
 *   <li>{@link #NONE}: the text as it is (language models);
 *   <li>{@link #PTB_LOWERCASE}: lower case and Penn Treebank tokens, the form of the SST, MR and
 *       Subj sentences: {@code "Don't miss it (really)!"} becomes {@code "do n't miss it -lrb-
 *       really -rrb- !"}. Text already in that form is left unchanged.
 * </ul>
 */
public enum TextNormalization {
    NONE,
    PTB_LOWERCASE;

    private static final Set<String> ABBREVIATIONS =
            Set.of(
                    "mr.", "mrs.", "ms.", "dr.", "st.", "vs.", "jr.", "sr.", "no.", "etc.", "al.",
                    "inc.", "co.", "corp.", "ltd.", "bros.", "jan.", "feb.", "aug.", "sept.",
                    "oct.", "nov.", "dec.", "pa.", "wash.", "calif.", "mass.");

    /** Punctuation that is a token of its own; a comma between digits (10,000) is not. */
    private static final Pattern PUNCTUATION =
            Pattern.compile("\\s*([;:]|[!?]+|(?<!\\d),|,(?!\\d)|\\.\\.\\.|--)\\s*");

    private static final Pattern CONTRACTION =
            Pattern.compile("(?<=\\p{L})(n't|'s|'re|'ve|'ll|'d|'m)\\b");
    private static final Pattern QUOTE = Pattern.compile("\"");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    /**
     * Rewrites a text.
     *
     * @param text the text
     * @return the normalised text
     */
    public String apply(String text) {
        if (this == NONE) {
            return text;
        }
        String s =
                text.toLowerCase(Locale.ROOT)
                        .replace('\u2019', '\'')
                        .replace('\u2018', '`')
                        .replace("\u201c", " `` ")
                        .replace("\u201d", " '' ")
                        .replace("\u2014", " -- ")
                        .replace("\u2013", " -- ")
                        .replace("\u2026", " ... ")
                        .replace("(", " -lrb- ")
                        .replace(")", " -rrb- ");
        Matcher quotes = QUOTE.matcher(s);
        StringBuilder b = new StringBuilder();
        boolean open = true;
        while (quotes.find()) {
            quotes.appendReplacement(b, open ? " `` " : " '' ");
            open = !open;
        }
        quotes.appendTail(b);
        s = PUNCTUATION.matcher(b.toString()).replaceAll(" $1 ");
        s = CONTRACTION.matcher(s).replaceAll(" $1");
        StringBuilder out = new StringBuilder();
        for (String word : SPACES.split(s.strip())) {
            if (out.length() > 0) {
                out.append(' ');
            }
            // a sentence's full stop is a token of its own; abbreviations and "..." keep theirs
            if (word.length() > 1
                    && word.endsWith(".")
                    && !word.endsWith("..")
                    && !ABBREVIATIONS.contains(word)
                    && !word.matches("(\\p{L}\\.)+")) {
                out.append(word, 0, word.length() - 1).append(" .");
            } else {
                out.append(word);
            }
        }
        return out.toString();
    }

    /**
     * Parses a name as written in {@code config.json} or on the command line.
     *
     * @param name {@code none} or {@code ptb_lowercase} (any case, {@code -} or {@code _})
     * @return the normalisation
     * @throws IllegalArgumentException for an unknown name
     */
    public static TextNormalization parse(String name) {
        String key = name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (TextNormalization n : values()) {
            if (n.name().equals(key)) {
                return n;
            }
        }
        throw new IllegalArgumentException(
                "unknown text normalization '" + name + "': use none or ptb_lowercase");
    }

    /**
     * @return the name as written in {@code config.json}
     */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
