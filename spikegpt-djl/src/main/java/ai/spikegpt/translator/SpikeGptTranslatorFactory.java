package ai.spikegpt.translator;

import ai.djl.Model;
import ai.djl.modality.Classifications;
import ai.djl.ndarray.NDList;
import ai.djl.translate.ArgumentsUtil;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import ai.spikegpt.generate.SamplingConfig;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.tokenizer.TextTokenizer;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes the translators of a SpikeGPT model directory, for DJL's model loader: {@code (String,
 * String)} text generation, {@code (String, Iterator)} streaming generation, {@code (String,
 * Classifications)} classification, and {@code (NDList, NDList)} pass-through. The tokenizer and
 * the class labels come from the model directory.
 *
 * <p>Arguments (from the zoo artifact, {@code serving.properties} or {@code Criteria.optArgument}):
 * {@code temperature} (0.8), {@code topK} (0), {@code topP} (1), {@code maxNewTokens} (200), {@code
 * seed} (0), {@code maxPromptTokens} (4096) for generation, {@code labels} (comma-separated,
 * default: the model's) and {@code maxTokens} (an optional limit on a text's length, default none:
 * the classifier reads long texts in chunks) for classification.
 */
public final class SpikeGptTranslatorFactory implements TranslatorFactory {

    private static final Set<Pair<Type, Type>> SUPPORTED =
            Set.of(
                    new Pair<>(String.class, String.class),
                    new Pair<>(String.class, Iterator.class),
                    new Pair<>(String.class, Classifications.class),
                    new Pair<>(NDList.class, NDList.class));

    @Override
    public Set<Pair<Type, Type>> getSupportedTypes() {
        return SUPPORTED;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <I, O> Translator<I, O> newInstance(
            Class<I> input, Class<O> output, Model model, Map<String, ?> arguments)
            throws TranslateException {
        if (input == NDList.class && output == NDList.class) {
            return (Translator<I, O>) new NoopTranslator();
        }
        Path dir = model.getModelPath();
        try {
            TextTokenizer tokenizer = ModelDirectory.tokenizer(dir);
            if (output == Classifications.class) {
                SpikeGptConfig config = ModelDirectory.config(dir);
                if (config.getClasses() < 2 && !arguments.containsKey("labels")) {
                    throw new IllegalArgumentException(
                            dir
                                    + " holds a language model without a classification head: "
                                    + "fine-tune it first ('spikegpt finetune-classifier'), or start a classifier to fine-tune "
                                    + "with the argument labels, e.g. Criteria.optArgument(\"labels\", \"negative,positive\")");
                }
                return (Translator<I, O>)
                        new TextClassificationTranslator(
                                tokenizer,
                                config.getTextNormalization(),
                                labels(config, arguments),
                                ArgumentsUtil.intValue(arguments, "maxTokens", Integer.MAX_VALUE));
            }
            SamplingConfig sampling = sampling(arguments, tokenizer);
            int maxPrompt = ArgumentsUtil.intValue(arguments, "maxPromptTokens", 4096);
            if (output == Iterator.class) {
                return (Translator<I, O>)
                        new StreamingTextGenerationTranslator(tokenizer, sampling, maxPrompt);
            }
            if (output == String.class) {
                return (Translator<I, O>)
                        new TextGenerationTranslator(tokenizer, sampling, maxPrompt);
            }
        } catch (IOException e) {
            throw new TranslateException(
                    "cannot read the tokenizer of " + dir + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException(
                "unsupported types " + input + " -> " + output + "; supported: " + SUPPORTED);
    }

    /**
     * Returns the class labels: the argument {@code labels} (comma-separated, for a classifier
     * started from a language model, see {@link ai.spikegpt.zoo.SpikeGptBlockFactory}), else the
     * configuration's.
     *
     * @param config the model's configuration
     * @param arguments the model's arguments
     * @return the labels
     */
    public static List<String> labels(SpikeGptConfig config, Map<String, ?> arguments) {
        Object value = arguments.get("labels");
        if (value == null) {
            return config.getLabels();
        }
        List<String> labels =
                Arrays.stream(value.toString().split(",")).map(String::strip).toList();
        if (labels.size() < 2
                || labels.stream().anyMatch(String::isEmpty)
                || Set.copyOf(labels).size() != labels.size()) {
            throw new IllegalArgumentException(
                    "the argument labels must name at least two distinct classes, comma-separated, got '"
                            + value
                            + "'");
        }
        return labels;
    }

    static SamplingConfig sampling(Map<String, ?> arguments, TextTokenizer tokenizer) {
        SamplingConfig.Builder b =
                SamplingConfig.builder()
                        .optTemperature(ArgumentsUtil.floatValue(arguments, "temperature", 0.8f))
                        .optTopK(ArgumentsUtil.intValue(arguments, "topK", 0))
                        .optTopP(ArgumentsUtil.floatValue(arguments, "topP", 1f))
                        .optMaxTokens(ArgumentsUtil.intValue(arguments, "maxNewTokens", 200))
                        .optSeed(ArgumentsUtil.longValue(arguments, "seed", 0));
        tokenizer.endOfText().ifPresent(b::optStopTokens);
        return b.build();
    }
}
