package ai.spikegpt.cli;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.repository.zoo.ZooModel;
import ai.spikegpt.zoo.SpikeGptModelZoo;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spikegpt classify}: the class of each text, with the model's probability for it. */
@Command(
        name = "classify",
        mixinStandardHelpOptions = true,
        description = "Classify texts (sentiment with the zoo's SST-2 model unless --model says otherwise).")
final class ClassifyCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = SpikeGptModelZoo.SENTIMENT,
            description = "a classifier's model directory or zoo artifact (default: ${DEFAULT-VALUE})")
    String model;

    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "the texts to classify")
    List<String> texts;

    @Override
    public Integer call() throws Exception {
        try (ZooModel<String, Classifications> zooModel = ClassifierCriteria.of(ModelArgument.resolve(model)).loadModel();
                Predictor<String, Classifications> predictor = zooModel.newPredictor()) {
            List<Classifications> results = predictor.batchPredict(texts);
            for (int i = 0; i < texts.size(); i++) {
                Classifications.Classification best = results.get(i).best();
                System.out.printf(Locale.ROOT, "%-10s %6.2f%%  %s%n", best.getClassName(), 100 * best.getProbability(),
                        Printable.escapeControls(texts.get(i)));
            }
        }
        return 0;
    }
}
