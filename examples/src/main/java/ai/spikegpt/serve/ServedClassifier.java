package ai.spikegpt.serve;

import ai.djl.Application;
import java.util.List;

/**
 * A classifier behind the server: its texts go through a {@link ClassifierBatcher}.
 *
 * @param name the name in {@code /predictions/{name}}
 * @param application what it classifies, e.g. {@code nlp/sentiment_analysis}
 * @param labels the class labels
 * @param batcher the queue and workers that classify
 * @param resources closed after the batcher (the DJL model), or null
 */
public record ServedClassifier(
        String name,
        Application application,
        List<String> labels,
        ClassifierBatcher batcher,
        AutoCloseable resources)
        implements ServedModel {

    @Override
    public void close() {
        batcher.close();
        if (resources != null) {
            try {
                resources.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot close " + name + ": " + e.getMessage(), e);
            }
        }
    }
}
