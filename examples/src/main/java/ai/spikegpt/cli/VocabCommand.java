package ai.spikegpt.cli;

import ai.spikegpt.tokenizer.BpeTokenizer;
import ai.spikegpt.tokenizer.Gpt2Vocabulary;
import ai.spikegpt.training.TextCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code spikegpt vocab}: writes a GPT-2 byte-level BPE {@code tokenizer.json} of a chosen size for
 * {@code train-lm --tokenizer}, either GPT-2's first tokens or the ones a corpus uses most.
 */
@Command(
        name = "vocab",
        mixinStandardHelpOptions = true,
        description = {
            "Write a GPT-2 byte-level BPE tokenizer.json of --size tokens (plus <|endoftext|>) for train-lm --tokenizer:",
            "GPT-2's first tokens, or with --fit the tokens that full GPT-2 uses most in the training part (90%%)",
            "of the given texts, which keeps more of their words whole at the same model size."
        })
final class VocabCommand implements Callable<Integer> {

    @Option(names = "--size", required = true, description = "number of BPE tokens, 256 to 50256")
    int size;

    @Option(
            names = "--fit",
            arity = "1..*",
            description = {
                "UTF-8 files or directories of .txt files to choose the tokens for; FILE=W counts a text W times",
                "(e.g. a small in-domain text beside a large general one)"
            })
    List<String> fit;

    @Option(names = "--out", required = true, description = "the tokenizer.json to write")
    Path out;

    @Mixin ForceOption overwrite;

    @Override
    public Integer call() throws Exception {
        overwrite.refuseExisting("--out", out);
        if (fit == null) {
            Gpt2Vocabulary.write(size, out);
            System.out.printf("%s: GPT-2's first %d tokens and <|endoftext|>%n", out, size);
            return 0;
        }
        Path full = Files.createTempFile("gpt2-full-", ".json");
        try (BpeTokenizer gpt2 = loadFull(full)) {
            double[] counts = new double[Gpt2Vocabulary.FULL_SIZE + 1];
            double tokens = 0;
            for (String spec : fit) {
                int eq = spec.lastIndexOf('=');
                Path source = Path.of(eq < 0 ? spec : spec.substring(0, eq));
                double weight = eq < 0 ? 1 : weight(spec.substring(eq + 1), spec);
                for (int id : TextCorpus.encode(TextCorpus.read(source, 0.9).train(), gpt2)) {
                    counts[id] += weight;
                    tokens += weight;
                }
            }
            Gpt2Vocabulary.writeFitted(size, counts, out);
            System.out.printf(
                    "%s: the %d GPT-2 tokens most used in %,.0f weighted tokens of %s, and <|endoftext|>%n",
                    out, size, tokens, String.join(", ", fit));
        } finally {
            Files.deleteIfExists(full);
        }
        return 0;
    }

    private static BpeTokenizer loadFull(Path file) throws java.io.IOException {
        Gpt2Vocabulary.write(Gpt2Vocabulary.FULL_SIZE, file);
        return BpeTokenizer.load(file);
    }

    private static double weight(String text, String spec) {
        try {
            double w = Double.parseDouble(text);
            if (w > 0 && Double.isFinite(w)) {
                return w;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                "--fit " + spec + ": the weight after '=' must be a positive number");
    }
}
