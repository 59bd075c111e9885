package ai.spikegpt.examples;

import ai.djl.Application;
import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;

/** Classifies the sentiment of a sentence with the zoo's SST-2 SpikeGPT: plain DJL, no setup. */
public final class ClassifySentiment {

    private ClassifySentiment() {}

    /**
     * @param args the sentence
     */
    public static void main(String[] args) throws Exception {
        Criteria<String, Classifications> criteria =
                Criteria.builder()
                        .setTypes(String.class, Classifications.class)
                        .optApplication(Application.NLP.SENTIMENT_ANALYSIS)
                        .optGroupId("ai.spikegpt.zoo")
                        .build();
        try (ZooModel<String, Classifications> model = criteria.loadModel();
                Predictor<String, Classifications> predictor = model.newPredictor()) {
            System.out.println(predictor.predict(String.join(" ", args)));
        }
    }
}
