package ai.spikegpt.cli;

import ai.spikegpt.inference.JavaClassifier;
import ai.spikegpt.inference.WeightFormat;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.tokenizer.TextNormalization;
import ai.spikegpt.tokenizer.TextTokenizer;
import ai.spikegpt.translator.TextClassificationTranslator;
import ai.spikegpt.zoo.JavaModelDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Texts to labels on the pure-Java engine, as the classification translator reads them: the model's
 * text normalization, its tokenizer, then {@link JavaClassifier}, its weights read straight from
 * the directory ({@link JavaModelDirectory}: the native engine is never loaded).
 */
final class JavaTextClassifier implements AutoCloseable {

    private final TextTokenizer tokenizer;
    private final TextNormalization normalization;
    private final JavaClassifier classifier;

    JavaTextClassifier(Path dir, WeightFormat format) throws IOException {
        SpikeGptConfig config = ModelDirectory.config(dir);
        normalization = config.getTextNormalization();
        classifier = new JavaClassifier(JavaModelDirectory.classifier(dir, format));
        tokenizer = ModelDirectory.tokenizer(dir);
    }

    /**
     * Classifies a batch.
     *
     * @param texts the texts
     * @return the index of the best label of each
     * @throws IllegalArgumentException for an empty text
     */
    int[] best(List<String> texts) {
        int[][] ids = new int[texts.size()][];
        for (int i = 0; i < ids.length; i++) {
            String text = texts.get(i);
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("the text to classify is empty");
            }
            long[] tokens =
                    TextClassificationTranslator.encode(
                            tokenizer, normalization.apply(text), Integer.MAX_VALUE);
            ids[i] = new int[tokens.length];
            for (int t = 0; t < tokens.length; t++) {
                ids[i][t] = Math.toIntExact(tokens[t]);
            }
        }
        float[] logits = classifier.logits(ids);
        int classes = classifier.getConfig().getClasses();
        int[] out = new int[ids.length];
        for (int b = 0; b < ids.length; b++) {
            for (int k = 1; k < classes; k++) {
                if (logits[b * classes + k] > logits[b * classes + out[b]]) {
                    out[b] = k;
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
