package ai.spikegpt.cli;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.repository.zoo.ZooModel;
import ai.spikegpt.files.TextFiles;
import ai.spikegpt.inference.JavaSpikeGpt;
import ai.spikegpt.zoo.SpikeGptModelZoo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spikegpt classify}: the class of each text, with the model's probability for it. */
@Command(
        name = "classify",
        mixinStandardHelpOptions = true,
        description =
                "Classify texts (sentiment with the zoo's SST-2 model unless --model says otherwise).")
final class ClassifyCommand implements Callable<Integer> {

    private static final int BATCH = 32;
    private static final int ECHOED = 200;

    @Option(
            names = "--model",
            defaultValue = SpikeGptModelZoo.SENTIMENT,
            description =
                    "a classifier's model directory or zoo artifact (default: ${DEFAULT-VALUE})")
    String model;

    @Mixin EngineOption engine;

    @Parameters(arity = "0..*", paramLabel = "TEXT", description = "the texts to classify")
    List<String> texts = List.of();

    @Option(
            names = "--input",
            paramLabel = "FILE",
            description =
                    "classify the lines of FILE too (one text a line, '-' for standard input): texts of any length")
    Path input;

    @Override
    public Integer call() throws Exception {
        List<String> all = new ArrayList<>(texts);
        if (input != null) {
            String text =
                    input.toString().equals("-")
                            ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                            : TextFiles.readUtf8(input);
            text.lines().filter(line -> !line.isBlank()).forEach(all::add);
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("nothing to classify: give texts, or --input FILE");
        }
        try (ZooModel<String, Classifications> zooModel =
                        ClassifierCriteria.of(
                                        ModelArgument.resolve(model),
                                        engine.isJava(JavaSpikeGpt.vectorized()),
                                        engine.format())
                                .loadModel();
                Predictor<String, Classifications> predictor = zooModel.newPredictor()) {
            for (int from = 0; from < all.size(); from += BATCH) {
                List<String> batch = all.subList(from, Math.min(all.size(), from + BATCH));
                List<Classifications> results = predictor.batchPredict(batch);
                for (int i = 0; i < batch.size(); i++) {
                    Classifications.Classification best = results.get(i).best();
                    System.out.printf(
                            Locale.ROOT,
                            "%-10s %6.2f%%  %s%n",
                            best.getClassName(),
                            100 * best.getProbability(),
                            Printable.escapeControls(abbreviate(batch.get(i))));
                }
            }
        }
        return 0;
    }

    /** A long text is echoed by its beginning: the answer line stays readable. */
    private static String abbreviate(String text) {
        return text.length() <= ECHOED ? text : text.substring(0, ECHOED - 3) + "...";
    }
}
