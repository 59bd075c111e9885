package ai.spikegpt.cli;

import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.tokenizer.TextNormalization;
import ai.spikegpt.tokenizer.TextTokenizer;
import ai.spikegpt.training.LabeledTextDataset;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spikegpt tokenize}: what a model's tokenizer makes of a text, to see how words split into
 * pieces, or to hand a labelled file's token ids to other tools.
 */
@Command(
        name = "tokenize",
        mixinStandardHelpOptions = true,
        description = {
            "Show the tokens of texts under a model's tokenizer (after its text normalization), or with --data",
            "write LABEL id id ... for every line of a LABEL<TAB or space>TEXT file to standard output."
        })
final class TokenizeCommand implements Callable<Integer> {

    @Mixin ModelOption model;

    @Option(names = "--normalize", description = "none or ptb_lowercase (default: the model's)")
    String normalize;

    @Option(names = "--data", description = "a labelled-text file to turn into token ids")
    Path data;

    @Parameters(
            arity = "0..*",
            paramLabel = "TEXT",
            description = "texts to show as ids and pieces")
    List<String> texts = List.of();

    @Override
    public Integer call() throws Exception {
        if ((data == null) == texts.isEmpty()) {
            throw new IllegalArgumentException("give either texts or --data FILE");
        }
        Path dir = model.directory();
        SpikeGptConfig config = ModelDirectory.config(dir);
        TextNormalization normalization =
                normalize == null
                        ? config.getTextNormalization()
                        : TextNormalization.parse(normalize);
        try (TextTokenizer tokenizer = ModelDirectory.tokenizer(dir)) {
            if (data != null) {
                List<LabeledTextDataset.Example> examples = LabeledTextDataset.read(data);
                long tokens = 0;
                for (LabeledTextDataset.Example e : examples) {
                    long[] ids = tokenizer.encode(normalization.apply(e.text()));
                    tokens += ids.length;
                    System.out.println(e.label() + " " + join(ids, " "));
                }
                System.err.printf(
                        Locale.ROOT,
                        "%s: %d texts, %.1f tokens a text%n",
                        data,
                        examples.size(),
                        (double) tokens / examples.size());
                return 0;
            }
            for (String text : texts) {
                String normalized = normalization.apply(text);
                long[] ids = tokenizer.encode(normalized);
                String pieces =
                        ids.length == 0
                                ? ""
                                : LongStream.of(ids)
                                        .mapToObj(id -> tokenizer.decode(new long[] {id}))
                                        .collect(Collectors.joining("|", " |", "|"));
                System.out.printf(
                        Locale.ROOT,
                        "%s%n  %d token%s:%s%n  ids: %s%n",
                        normalized,
                        ids.length,
                        ids.length == 1 ? "" : "s",
                        pieces,
                        join(ids, ","));
            }
        }
        return 0;
    }

    private static String join(long[] ids, String separator) {
        return LongStream.of(ids).mapToObj(Long::toString).collect(Collectors.joining(separator));
    }
}
