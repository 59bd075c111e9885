package ai.spikegpt.training;

import ai.spikegpt.files.TextFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a file of labelled texts, one example per line, {@code LABEL<TAB or space>TEXT} (the format
 * of the SST, MR and Subj files); blank lines are skipped, a line without text is an error naming
 * the file and the line.
 */
final class LabeledTextFile {

    private LabeledTextFile() {}

    /**
     * Reads the examples of a {@code LABEL<TAB or space>TEXT} file.
     *
     * @param file the file (UTF-8)
     * @return the examples, in file order
     * @throws IOException if it cannot be read, is not UTF-8, has a line without text, or has no
     *     examples
     */
    static List<LabeledTextDataset.Example> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no data file at " + file);
        }
        String content = TextFiles.readUtf8(file);
        List<LabeledTextDataset.Example> out = new ArrayList<>();
        String[] lines = content.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            int cut = 0;
            while (cut < line.length() && !Character.isWhitespace(line.charAt(cut))) {
                cut++;
            }
            String text = line.substring(cut).strip();
            if (text.isEmpty()) {
                throw new IOException(
                        file
                                + ":"
                                + (i + 1)
                                + ": expected LABEL<TAB or space>TEXT, found only '"
                                + LabelSyntax.abbreviate(line)
                                + "'");
            }
            out.add(new LabeledTextDataset.Example(line.substring(0, cut), text, i + 1));
        }
        if (out.isEmpty()) {
            throw new IOException(
                    file + " has no examples (expected lines of LABEL<TAB or space>TEXT)");
        }
        return out;
    }
}
