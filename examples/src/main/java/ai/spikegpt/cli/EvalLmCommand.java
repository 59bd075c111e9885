package ai.spikegpt.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.model.SpikeGptModel;
import ai.spikegpt.tokenizer.TextTokenizer;
import ai.spikegpt.training.LanguageModelEvaluation;
import ai.spikegpt.training.TextCorpus;
import ai.spikegpt.training.TokenWindowDataset;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code spikegpt eval-lm}: bits per character and perplexity on the validation part of a text. */
@Command(
        name = "eval-lm",
        mixinStandardHelpOptions = true,
        description =
                "Evaluate a language model on the validation part (last 10%%) of a text file.")
final class EvalLmCommand implements Callable<Integer> {

    @Mixin ModelOption model;

    @Option(
            names = "--corpus",
            required = true,
            arity = "1..*",
            description = "UTF-8 text files or directories of .txt files, as given to train-lm")
    List<Path> corpus;

    @Option(
            names = "--all",
            description = "evaluate the whole text instead of the last 10%% of each source")
    boolean all;

    @Option(names = "--window", description = "evaluation window (default: the model's ctx_len)")
    int window;

    @Option(
            names = "--batch-size",
            defaultValue = "16",
            description = "windows per forward pass (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Override
    public Integer call() throws Exception {
        OptionChecks.atLeast("--batch-size", batchSize, 1);
        OptionChecks.atLeast("--window", window, 0);
        Path dir = model.directory();
        TextCorpus text = TextCorpus.read(corpus, 0.9);
        try (NDManager manager = NDManager.newBaseManager();
                TextTokenizer tokenizer = ModelDirectory.tokenizer(dir)) {
            SpikeGptModel lm = ModelDirectory.loadLanguageModel(dir, manager);
            int[] tokens =
                    TextCorpus.encode(
                            all ? text.train() + text.validation() : text.validation(), tokenizer);
            TokenWindowDataset data =
                    TokenWindowDataset.builder()
                            .setTokens(tokens)
                            .setWindow(window > 0 ? window : lm.getConfig().getContextLength())
                            .optMode(TokenWindowDataset.Mode.CONTIGUOUS)
                            .setSampling(batchSize, false)
                            .build();
            LanguageModelEvaluation.Result r =
                    LanguageModelEvaluation.evaluate(
                            lm,
                            new ParameterStore(manager, false),
                            data,
                            tokenizer,
                            batchSize,
                            0,
                            ConsoleProgress.of("Evaluating", 0));
            System.out.printf(
                    Locale.ROOT,
                    "%s on %s (%s): %,d tokens, %,d characters%n  bits per character %.4f%n  perplexity %.4f (per token)%n"
                            + "  cross-entropy %.4f nats per token%n",
                    lm.getConfig(),
                    corpus,
                    all ? "all of it" : "last 10%",
                    r.tokens(),
                    r.characters(),
                    r.bitsPerCharacter(),
                    r.perplexity(),
                    r.natsPerToken());
        }
        return 0;
    }
}
