package ai.spikegpt.training;

import ai.spikegpt.files.TextFiles;
import ai.spikegpt.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.StringJoiner;
import java.util.stream.Stream;

/**
 * A plain-text corpus split for language modelling: the first part for training, the rest for
 * validation (Tiny Shakespeare's usual split is 90 / 10 by characters). A corpus of several sources
 * splits each one, so that every source is represented in both parts.
 *
 * @param train the training text
 * @param validation the validation text
 */
public record TextCorpus(String train, String validation) {

    /**
     * Reads a UTF-8 text file, or a directory of {@code .txt} files, and splits it.
     *
     * @param source the file or directory
     * @param trainFraction the fraction of characters for training, in (0, 1)
     * @return the corpus
     * @throws IOException if a file cannot be read or is not UTF-8 text
     */
    public static TextCorpus read(Path source, double trainFraction) throws IOException {
        return read(List.of(source), trainFraction);
    }

    /**
     * Reads several sources and splits each: the training parts, then the validation parts, are
     * joined in order with a blank line between sources. A directory source is its {@code .txt}
     * files in name order, joined the same way, split as one text.
     *
     * @param sources the files or directories
     * @param trainFraction the fraction of characters for training, in (0, 1)
     * @return the corpus
     * @throws IOException if a file cannot be read, is not UTF-8 text or is empty
     */
    public static TextCorpus read(List<Path> sources, double trainFraction) throws IOException {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException(
                    "the training fraction must be in (0, 1), got " + trainFraction);
        }
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("a corpus needs at least one source");
        }
        StringJoiner train = new StringJoiner(SEPARATOR);
        StringJoiner validation = new StringJoiner(SEPARATOR);
        for (Path source : sources) {
            String text = text(source);
            int cut = (int) (text.length() * trainFraction);
            if (cut > 0 && Character.isLowSurrogate(text.charAt(cut))) {
                cut++; // never split a character
            }
            train.add(text.substring(0, cut));
            validation.add(text.substring(cut));
        }
        return new TextCorpus(train.toString(), validation.toString());
    }

    private static final String SEPARATOR = "\n\n";

    private static String text(Path source) throws IOException {
        if (Files.isDirectory(source)) {
            List<Path> files;
            try (Stream<Path> list = Files.list(source)) {
                files =
                        list.filter(
                                        f ->
                                                f.getFileName().toString().endsWith(".txt")
                                                        && Files.isRegularFile(f))
                                .sorted()
                                .toList();
            }
            if (files.isEmpty()) {
                throw new IOException("the corpus directory " + source + " has no .txt files");
            }
            StringJoiner all = new StringJoiner(SEPARATOR);
            for (Path f : files) {
                all.add(file(f).strip());
            }
            return all.toString();
        }
        return file(source);
    }

    private static String file(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no corpus file at " + file);
        }
        String text = TextFiles.readUtf8(file);
        if (text.isBlank()) {
            throw new IOException(file + " is empty: a language model needs text to learn from");
        }
        return text;
    }

    /**
     * Encodes a text in pieces of about a megabyte cut at line ends (tokenizers are faster on
     * pieces, and a piece boundary at a line end changes no token).
     *
     * @param text the text
     * @param tokenizer the tokenizer
     * @return the token stream
     */
    public static int[] encode(String text, TextTokenizer tokenizer) {
        List<long[]> pieces = new java.util.ArrayList<>();
        int total = 0;
        int from = 0;
        while (from < text.length()) {
            int to = Math.min(text.length(), from + (1 << 20));
            int newline = text.indexOf('\n', to);
            to = to == text.length() || newline < 0 ? text.length() : newline + 1;
            long[] ids = tokenizer.encode(text.substring(from, to));
            pieces.add(ids);
            total += ids.length;
            from = to;
        }
        int[] out = new int[total];
        int i = 0;
        for (long[] piece : pieces) {
            for (long id : piece) {
                out[i++] = Math.toIntExact(id);
            }
        }
        return out;
    }
}
