package ai.spikegpt.zoo;

import ai.djl.Application;
import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import ai.djl.translate.ArgumentsUtil;
import ai.spikegpt.inference.JavaClassifier;
import ai.spikegpt.inference.JavaClassifierBlock;
import ai.spikegpt.inference.WeightFormat;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.translator.SpikeGptTranslatorFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the block of a SpikeGPT model directory for DJL's model loader (zoo artifacts and {@code
 * Criteria.optModelPath}): a {@link ai.spikegpt.model.SpikeGptClassifier} for a sentiment or text
 * classification application, or when the argument {@code head} is {@code classifier}; otherwise
 * the {@link ai.spikegpt.model.SpikeGptModel} language model. The argument {@code labels}
 * (comma-separated class names) starts a classifier for new labels: the directory's trained trunk
 * and a new head, ready to fine-tune with a DJL {@code Trainer}. The argument {@code
 * inference=java} (with {@code weights=fp32|fp16|int8}) runs a classifier on the pure-Java engine
 * instead ({@link JavaClassifierBlock}: the same inputs and outputs, faster, inference only). The
 * weights come from the directory's safetensors, so the directory's {@code serving.properties} sets
 * {@code option.hasParameter=false}.
 */
public final class SpikeGptBlockFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments)
            throws IOException {
        SpikeGptConfig config = ModelDirectory.config(modelPath);
        if (arguments.containsKey("labels")) {
            List<String> labels = SpikeGptTranslatorFactory.labels(config, arguments);
            if (!labels.equals(config.getLabels())) {
                return ModelDirectory.newClassifier(modelPath, labels, model.getNDManager());
            }
        }
        if (!classifier(config, arguments)) {
            return ModelDirectory.loadLanguageModel(modelPath, model.getNDManager());
        }
        if (!javaEngine(arguments)) {
            return ModelDirectory.loadClassifier(modelPath, model.getNDManager());
        }
        WeightFormat format =
                WeightFormat.parse(ArgumentsUtil.stringValue(arguments, "weights", "fp32"));
        return new JavaClassifierBlock(
                new JavaClassifier(JavaModelDirectory.classifier(modelPath, format)));
    }

    /**
     * The argument {@code inference}: {@code java} or {@code djl} (the default); not {@code
     * engine}, which DJL reads as the engine's name.
     */
    private static boolean javaEngine(Map<String, ?> arguments) {
        String engine =
                ArgumentsUtil.stringValue(arguments, "inference", "djl").toLowerCase(Locale.ROOT);
        if (!engine.equals("java") && !engine.equals("djl")) {
            throw new IllegalArgumentException(
                    "the argument inference must be java or djl, got '" + engine + "'");
        }
        return engine.equals("java");
    }

    static boolean classifier(SpikeGptConfig config, Map<String, ?> arguments) {
        if (arguments.containsKey("labels")) {
            return true;
        }
        Object head = arguments.get("head");
        if (head != null) {
            return "classifier".equals(head.toString());
        }
        Object application = arguments.get("application");
        if (application != null) {
            String path = application.toString();
            return path.equals(Application.NLP.SENTIMENT_ANALYSIS.getPath())
                    || path.equals(Application.NLP.TEXT_CLASSIFICATION.getPath());
        }
        return config.getClasses() > 0;
    }
}
