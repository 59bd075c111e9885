package ai.spikegpt.cli;

import ai.djl.modality.Classifications;
import ai.djl.repository.zoo.Criteria;
import ai.spikegpt.inference.WeightFormat;
import ai.spikegpt.translator.SpikeGptTranslatorFactory;
import java.nio.file.Path;

/**
 * The DJL criteria the classification commands load a model directory with. The translator factory
 * is named here because DJL picks the factory before it reads the directory's {@code
 * serving.properties}, and its default for {@code String -> Classifications} is an image
 * classifier's.
 */
final class ClassifierCriteria {

    private ClassifierCriteria() {}

    static Criteria<String, Classifications> of(Path dir) {
        return builder(dir).build();
    }

    /**
     * The criteria with the model on the Java engine or the DJL blocks (the zoo argument {@code
     * inference}).
     */
    static Criteria<String, Classifications> of(Path dir, boolean java, WeightFormat weights) {
        return builder(dir)
                .optArgument("inference", java ? "java" : "djl")
                .optArgument("weights", weights.toString())
                .build();
    }

    private static Criteria.Builder<String, Classifications> builder(Path dir) {
        return Criteria.builder()
                .setTypes(String.class, Classifications.class)
                .optModelPath(dir)
                .optEngine("PyTorch")
                .optTranslatorFactory(new SpikeGptTranslatorFactory());
    }
}
