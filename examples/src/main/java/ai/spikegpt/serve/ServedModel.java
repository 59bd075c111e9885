package ai.spikegpt.serve;

import ai.djl.Application;
import java.util.List;

/** A model the server answers for: a classifier or a language model, under a name. */
public sealed interface ServedModel extends AutoCloseable
        permits ServedClassifier, ServedLanguageModel {

    /**
     * @return the name in {@code /predictions/{name}}
     */
    String name();

    /**
     * @return what the model does, e.g. {@code nlp/sentiment_analysis}
     */
    Application application();

    /**
     * @return the class labels (empty for a language model)
     */
    List<String> labels();

    /** Finishes the queued work and frees the model's native memory. */
    @Override
    void close();
}
