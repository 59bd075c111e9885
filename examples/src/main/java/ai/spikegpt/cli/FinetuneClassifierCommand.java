package ai.spikegpt.cli;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.io.ModelIO;
import ai.spikegpt.io.Safetensors;
import ai.spikegpt.io.TensorSource;
import ai.spikegpt.model.SpikeGptClassifier;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.tokenizer.TextNormalization;
import ai.spikegpt.tokenizer.TextTokenizer;
import ai.spikegpt.training.ClassifierTrainer;
import ai.spikegpt.training.LabeledTextDataset;
import ai.spikegpt.training.LengthBucketSampler;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code spikegpt finetune-classifier}: fine-tunes a language model or classifier on labelled text.
 */
@Command(
        name = "finetune-classifier",
        mixinStandardHelpOptions = true,
        description = {
            "Fine-tune SpikeGPT for text classification on LABEL<TAB or space>TEXT files with DJL's Trainer.",
            "Starts from a language model (new head) or a classifier (its head kept when the labels agree);",
            "scores the dev file after every epoch, stops early, and saves the best epoch's model to --out."
        })
final class FinetuneClassifierCommand implements Callable<Integer> {

    @Option(
            names = "--base",
            required = true,
            description = "a model directory or zoo artifact to start from")
    String base;

    @Option(
            names = "--train",
            required = true,
            description = {
                "training examples, LABEL<TAB or space>TEXT per line; a LABEL may also be class probabilities,",
                "e.g. 0.8,0.2 (soft targets, as from a teacher's predictions; needs --labels or a base classifier)"
            })
    Path trainFile;

    @Option(
            names = "--dev",
            required = true,
            description = "examples that pick the best epoch, same format")
    Path devFile;

    @Option(
            names = "--out",
            required = true,
            description = "where the best model goes (a model directory)")
    Path out;

    @Option(
            names = "--labels",
            split = ",",
            description = {
                "class names in index order, e.g. negative,positive; a file's labels may be these names or",
                "their indices (default: the base classifier's labels, else the training file's labels)"
            })
    List<String> labels;

    @Option(
            names = "--epochs",
            defaultValue = "10",
            description = "most epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(
            names = "--patience",
            defaultValue = "3",
            description =
                    "epochs without a better dev accuracy before stopping (default: ${DEFAULT-VALUE})")
    int patience;

    @Option(
            names = "--batch-size",
            defaultValue = "32",
            description = "texts per step (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(
            names = "--lr",
            defaultValue = "2e-4",
            description = "peak learning rate (default: ${DEFAULT-VALUE})")
    float lr;

    @Option(
            names = "--warmup",
            defaultValue = "50",
            description = "warm-up steps (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(
            names = "--dropout",
            description = "dropout while fine-tuning (default: the base model's)")
    Float dropout;

    @Option(
            names = "--normalize",
            description = {
                "rewrite texts before tokenization, saved with the model: none or ptb_lowercase (lower case and",
                "Penn Treebank tokens, as in SST/MR/Subj, so typed text matches them) (default: the base model's)"
            })
    String normalize;

    @Option(
            names = "--max-tokens",
            defaultValue = "512",
            description = "longer texts keep their first N tokens (default: ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "seed of the new head, shuffling and dropout (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--half", description = "store the weights as float16 (half the size)")
    boolean half;

    @Mixin ForceOption overwrite;

    @Override
    public Integer call() throws Exception {
        overwrite.refuseExisting("--out", out);
        Path dir = ModelArgument.resolve(base);
        SpikeGptConfig baseConfig = ModelDirectory.config(dir);
        List<LabeledTextDataset.Example> train = LabeledTextDataset.read(trainFile);
        List<LabeledTextDataset.Example> dev = LabeledTextDataset.read(devFile);
        List<String> classes =
                labels != null
                        ? labels
                        : baseConfig.getClasses() >= 2
                                ? baseConfig.getLabels()
                                : LabeledTextDataset.labelsOf(train);
        SpikeGptConfig.Builder config = baseConfig.toBuilder().optLabels(classes);
        if (dropout != null) {
            config.optDropout(dropout);
        }
        if (normalize != null) {
            config.optTextNormalization(TextNormalization.parse(normalize));
        }
        SpikeGptConfig cfg = config.build();
        boolean keepHead =
                baseConfig.getClasses() >= 2 && baseConfig.getLabels().equals(cfg.getLabels());
        ai.djl.engine.Engine.getInstance()
                .setRandomSeed((int) seed); // the new head's initial weights
        try (Model model = Model.newInstance("spikegpt-classifier");
                TextTokenizer tokenizer = ModelDirectory.tokenizer(dir)) {
            TensorSource weights = Safetensors.open(dir.resolve(ModelDirectory.WEIGHTS));
            SpikeGptClassifier classifier =
                    keepHead
                            ? ModelIO.loadClassifier(weights, cfg, model.getNDManager())
                            : ModelIO.newClassifier(weights, cfg, model.getNDManager());
            model.setBlock(classifier);
            LabeledTextDataset trainData = dataset(train, trainFile, tokenizer, cfg, true, false);
            // a dev set of classes is scored as one-hot distributions beside soft training labels
            LabeledTextDataset devData =
                    dataset(dev, devFile, tokenizer, cfg, false, trainData.hasProbabilityLabels());
            System.err.printf(
                    Locale.ROOT,
                    "%s from %s (%s); labels %s; %d training examples %s, %d dev examples%n",
                    cfg,
                    dir,
                    keepHead ? "its classification head kept" : "a new classification head",
                    cfg.getLabels(),
                    trainData.size(),
                    Arrays.toString(trainData.classCounts()),
                    devData.size());
            ClassifierTrainer.Summary summary =
                    ClassifierTrainer.builder()
                            .setModel(model)
                            .setTokenizer(tokenizer)
                            .setData(trainData, devData, batchSize)
                            .setOutput(out)
                            .optEpochs(epochs, patience)
                            .optLearningRate(lr, warmup)
                            .optSeed(seed)
                            .optStorage(half ? DataType.FLOAT16 : DataType.FLOAT32)
                            .build()
                            .fit();
            System.out.println(
                    "| epoch | train loss | train accuracy | dev accuracy | spike rate | seconds |");
            System.out.println("|---:|---:|---:|---:|---:|---:|");
            for (ClassifierTrainer.Epoch e : summary.epochs()) {
                System.out.printf(
                        Locale.ROOT,
                        "| %d%s | %.4f | %.2f%% | %.2f%% | %.1f%% | %.0f |%n",
                        e.epoch(),
                        e.epoch() == summary.bestEpoch() ? " (best)" : "",
                        e.trainLoss(),
                        100 * e.trainAccuracy(),
                        100 * e.devAccuracy(),
                        100 * e.spikeRate(),
                        e.seconds());
            }
            System.out.printf(
                    Locale.ROOT,
                    "best dev accuracy %.2f%% (epoch %d%s) in %.1f min%nmodel: %s%n",
                    100 * summary.bestDevAccuracy(),
                    summary.bestEpoch(),
                    summary.stoppedEarly() ? ", stopped early" : "",
                    summary.seconds() / 60,
                    out.toAbsolutePath());
        }
        return 0;
    }

    private LabeledTextDataset dataset(
            List<LabeledTextDataset.Example> examples,
            Path file,
            TextTokenizer tokenizer,
            SpikeGptConfig cfg,
            boolean shuffle,
            boolean probabilityLabels) {
        return LabeledTextDataset.builder()
                .setTokenizer(tokenizer)
                .setLabels(cfg.getLabels())
                .optExamples(examples, file.toString())
                .optNormalization(cfg.getTextNormalization())
                .optMaxTokens(maxTokens)
                .optProbabilityLabels(probabilityLabels)
                .setSampling(new LengthBucketSampler(batchSize, shuffle))
                .build();
    }
}
