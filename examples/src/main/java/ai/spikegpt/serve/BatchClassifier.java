package ai.spikegpt.serve;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import java.util.List;

/**
 * What a batcher worker runs: a list of texts to their classifications, in order. Each worker owns
 * one (a DJL {@link Predictor} is not shared between threads).
 */
public interface BatchClassifier extends AutoCloseable {

    /**
     * Classifies texts as one padded batch.
     *
     * @param texts the texts, none empty
     * @return one classification a text, in the same order
     * @throws TranslateException if the model fails, or a text is refused
     */
    List<Classifications> classify(List<String> texts) throws TranslateException;

    @Override
    void close();

    /**
     * The library's batch path: {@code predictor.batchPredict}, which pads the texts to the longest
     * and masks the padding (a text gets the same answer alone or in a batch).
     *
     * @param model the classifier
     * @return a classifier with a new predictor of its own
     */
    static BatchClassifier of(ZooModel<String, Classifications> model) {
        Predictor<String, Classifications> predictor = model.newPredictor();
        return new BatchClassifier() {
            @Override
            public List<Classifications> classify(List<String> texts) throws TranslateException {
                return predictor.batchPredict(texts);
            }

            @Override
            public void close() {
                predictor.close();
            }
        };
    }
}
