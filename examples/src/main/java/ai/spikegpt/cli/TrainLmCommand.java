package ai.spikegpt.cli;

import ai.djl.ndarray.types.DataType;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.tokenizer.BpeTokenizer;
import ai.spikegpt.tokenizer.CharTokenizer;
import ai.spikegpt.tokenizer.Gpt2Vocabulary;
import ai.spikegpt.tokenizer.TextTokenizer;
import ai.spikegpt.training.LanguageModelTrainer;
import ai.spikegpt.training.TextCorpus;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code spikegpt train-lm}: trains a language model on a text file with DJL's Trainer. */
@Command(
        name = "train-lm",
        mixinStandardHelpOptions = true,
        description = {
            "Train a SpikeGPT language model on a text file (first 90%% training, last 10%% validation).",
            "Writes the model, training/log.csv, training/bpc.png and a resumable checkpoint to --out."
        })
final class TrainLmCommand implements Callable<Integer> {

    /** The configuration used without --config: a char-level SpikeGPT sized for a laptop CPU. */
    static final String DEFAULT_CONFIG =
            "{\"n_embd\": 256, \"n_layer\": 6, \"ctx_len\": 256, \"dropout\": 0.03,"
                    + " \"init\": {\"scheme\": \"rwkv\", \"att_out_gain\": 5, \"ffn_value_gain\": 12}}";

    /** The seed of a new run without --seed. */
    static final long DEFAULT_SEED = 42;

    @Option(
            names = "--corpus",
            required = true,
            arity = "1..*",
            description = "UTF-8 text files or directories of .txt files; each is split 90/10")
    List<Path> corpus;

    @Option(names = "--out", required = true, description = "the output directory")
    Path out;

    @Option(
            names = "--config",
            description = "config.json (vocab_size may be left out: the tokenizer's is used)")
    Path config;

    @Option(
            names = "--tokenizer",
            description = {
                "a tokenizer.json for byte-level BPE, or gpt2:N for GPT-2's first N BPE tokens",
                "(from jtokkit's ranks, no download); default: the characters of the corpus"
            })
    String tokenizerSpec;

    @Option(
            names = "--base",
            description = {
                "continue training a model directory or zoo artifact on this corpus (its configuration and",
                "tokenizer; --dropout may change), e.g. to adapt a pre-trained model to a domain's text"
            })
    String base;

    @Option(
            names = "--dropout",
            description = "with --base: dropout while training (default: the model's)")
    Float dropout;

    @Option(
            names = "--steps",
            description = {
                "optimizer steps (the learning-rate schedule's length); with --resume, more steps than the",
                "checkpoint's run lengthen it (default there: the run's own)"
            })
    long steps;

    @Option(
            names = "--minutes",
            description = "time budget; alone, the number of steps follows from the measured speed")
    double minutes;

    @Option(
            names = "--resume",
            description = "continue from the checkpoint in --out, with its seed and settings")
    boolean resume;

    @Option(
            names = "--batch-size",
            defaultValue = "8",
            description = "sequences per step (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(
            names = "--lr",
            defaultValue = "6e-4",
            description = "peak learning rate (default: ${DEFAULT-VALUE})")
    float lr;

    @Option(
            names = "--lr-final",
            defaultValue = "1e-5",
            description = "final learning rate (default: ${DEFAULT-VALUE})")
    float lrFinal;

    @Option(
            names = "--warmup",
            defaultValue = "50",
            description = "warm-up steps (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(
            names = "--seed",
            description =
                    "seed of initialisation, data and dropout (default: "
                            + DEFAULT_SEED
                            + "; with --resume, the run's own)")
    Long seed;

    @Option(
            names = "--eval-every",
            defaultValue = "200",
            description = "steps between validations (default: ${DEFAULT-VALUE})")
    int evalEvery;

    @Option(
            names = "--eval-windows",
            defaultValue = "0",
            description = "validation windows during training, 0 = all (default: ${DEFAULT-VALUE})")
    long evalWindows;

    @Option(
            names = "--checkpoint-every",
            defaultValue = "100",
            description = "steps between checkpoints (default: ${DEFAULT-VALUE})")
    int checkpointEvery;

    @Option(names = "--half", description = "store the final weights as float16 (half the size)")
    boolean half;

    @Option(names = "--no-progress", description = "log lines instead of a progress bar")
    boolean noProgress;

    @Mixin ForceOption overwrite;

    @Override
    public Integer call() throws Exception {
        boolean hasCheckpoint = LanguageModelTrainer.hasCheckpoint(out);
        boolean continuing = resume && hasCheckpoint;
        if (steps <= 0 && minutes <= 0 && !continuing) {
            throw new IllegalArgumentException(
                    "give --steps N or --minutes M (or both: M caps the run)");
        }
        if (!continuing) {
            overwrite.refuseExisting(
                    "--out", hasCheckpoint ? "--resume to continue it" : null, out);
        }
        TextCorpus text = TextCorpus.read(corpus, 0.9);
        Path baseDir = base == null ? null : ModelArgument.resolve(base);
        if (baseDir != null && (config != null || tokenizerSpec != null)) {
            throw new IllegalArgumentException(
                    "--base brings its own configuration and tokenizer: leave out --config and --tokenizer");
        }
        if (baseDir == null && dropout != null) {
            throw new IllegalArgumentException(
                    "--dropout goes with --base; for a new model set dropout in --config");
        }
        try (TextTokenizer tokenizer =
                baseDir != null ? ModelDirectory.tokenizer(baseDir) : tokenizer(text)) {
            SpikeGptConfig cfg =
                    baseDir != null ? baseConfig(baseDir) : config(tokenizer.vocabSize());
            int[] train = TextCorpus.encode(text.train(), tokenizer);
            int[] validation = TextCorpus.encode(text.validation(), tokenizer);
            System.err.printf(
                    Locale.ROOT,
                    "%s, %s tokenizer (%d tokens): %,d training and %,d validation tokens%n",
                    cfg,
                    tokenizer.type(),
                    tokenizer.vocabSize(),
                    train.length,
                    validation.length);
            LanguageModelTrainer.Builder trainer =
                    LanguageModelTrainer.builder()
                            .setOutput(out)
                            .setConfig(cfg)
                            .setTokenizer(tokenizer)
                            .setData(train, validation)
                            .setSteps(steps)
                            .optInitialWeights(baseDir)
                            .optMinutes(minutes)
                            .optBatchSize(batchSize)
                            .optLearningRate(lr, lrFinal)
                            .optWarmupSteps(warmup)
                            .optIntervals(10, evalEvery, checkpointEvery)
                            .optValidation(16, evalWindows)
                            .optResume(resume)
                            .optProgressBar(!noProgress)
                            .optTokensPerCharacter((double) train.length / text.train().length())
                            .optStorage(half ? DataType.FLOAT16 : DataType.FLOAT32);
            if (seed != null
                    || !continuing) { // a resumed run keeps its seed unless one is given to check
                trainer.optSeed(seed != null ? seed : DEFAULT_SEED);
            }
            LanguageModelTrainer.Summary summary = trainer.build().train();
            System.out.printf(
                    Locale.ROOT,
                    "trained %d steps (%,d tokens) in %.1f min, %.0f tokens/s; validation: %.4f bits per character, "
                            + "perplexity %.3f%nmodel: %s%n",
                    summary.steps(),
                    summary.tokens(),
                    summary.seconds() / 60,
                    summary.tokensPerSecond(),
                    summary.validationBpc(),
                    summary.validationPerplexity(),
                    out.toAbsolutePath());
        }
        return 0;
    }

    private SpikeGptConfig baseConfig(Path dir) throws java.io.IOException {
        SpikeGptConfig.Builder b = ModelDirectory.config(dir).toBuilder().optClasses(0);
        if (dropout != null) {
            b.optDropout(dropout);
        }
        return b.build();
    }

    private TextTokenizer tokenizer(TextCorpus text) throws java.io.IOException {
        if (tokenizerSpec == null) {
            return CharTokenizer.fit(text.train() + text.validation());
        }
        if (tokenizerSpec.startsWith("gpt2:")) {
            int size;
            try {
                size = Integer.parseInt(tokenizerSpec.substring(5));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "--tokenizer gpt2:N needs a number of tokens, got " + tokenizerSpec);
            }
            Path file = Files.createTempFile("gpt2-", ".json");
            file.toFile().deleteOnExit(); // read again when the model directory is written
            Gpt2Vocabulary.write(size, file);
            return BpeTokenizer.load(file);
        }
        return BpeTokenizer.load(Path.of(tokenizerSpec));
    }

    private SpikeGptConfig config(int vocab) throws java.io.IOException {
        String json =
                config == null ? DEFAULT_CONFIG : Files.readString(config, StandardCharsets.UTF_8);
        JsonObject object;
        try {
            object = JsonParser.parseString(json).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(config + " is not a JSON object: " + e.getMessage());
        }
        if (!object.has("vocab_size")) {
            object.addProperty("vocab_size", vocab);
        }
        SpikeGptConfig cfg = SpikeGptConfig.fromJson(object.toString());
        if (cfg.getVocabSize() < vocab) {
            throw new IllegalArgumentException(
                    "the configuration's vocab_size "
                            + cfg.getVocabSize()
                            + " is smaller than the tokenizer's "
                            + vocab
                            + ": leave vocab_size out to use the tokenizer's");
        }
        return cfg;
    }
}
