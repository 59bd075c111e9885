package ai.spikegpt.zoo;

import ai.djl.Application;
import ai.djl.repository.Artifact;
import ai.djl.repository.MRL;
import ai.djl.repository.Repository;
import ai.djl.repository.zoo.ModelZoo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * The SpikeGPT model zoo (group id {@value #GROUP_ID}), served from the classpath by the {@code
 * ai.spikegpt:zoo-artifacts} jar, offline:
 *
 * <ul>
 *   <li>{@value #CHARACTERS} ({@code nlp/text_generation}): a character-level SpikeGPT trained on
 *       Tiny Shakespeare;
 *   <li>{@value #PROSE} ({@code nlp/text_generation}): a byte-level BPE SpikeGPT pre-trained on
 *       public-domain English prose;
 *   <li>{@value #SENTIMENT} ({@code nlp/sentiment_analysis}): that model fine-tuned on SST-2,
 *       labels {@code negative} and {@code positive}.
 * </ul>
 *
 * <pre>{@code
 * Criteria<String, Classifications> criteria = Criteria.builder()
 *         .setTypes(String.class, Classifications.class)
 *         .optApplication(Application.NLP.SENTIMENT_ANALYSIS)
 *         .optGroupId(SpikeGptModelZoo.GROUP_ID)
 *         .optArtifactId(SpikeGptModelZoo.SENTIMENT)
 *         .build();
 * }</pre>
 */
public final class SpikeGptModelZoo extends ModelZoo {

    /** The zoo's group id. */
    public static final String GROUP_ID = "ai.spikegpt.zoo";

    /** The character-level Tiny Shakespeare model. */
    public static final String CHARACTERS = "spikegpt-char";

    /** The BPE language model pre-trained on English prose. */
    public static final String PROSE = "spikegpt-prose";

    /** The SST-2 sentiment classifier. */
    public static final String SENTIMENT = "spikegpt-sst2";

    /** The version of the zoo's artifacts. */
    public static final String VERSION = "0.1.0";

    /**
     * Keeps the repository out of this class's own static state: DJL's {@code ModelZoo} is
     * initialised before this subclass and already builds a zoo through the provider then.
     */
    private static final class Classpath {
        static final Repository REPOSITORY = new ClasspathRepository("SpikeGPT", "spikegpt-zoo");
    }

    SpikeGptModelZoo() {
        addModel(
                Classpath.REPOSITORY.model(
                        Application.NLP.TEXT_GENERATION, GROUP_ID, CHARACTERS, VERSION));
        addModel(
                Classpath.REPOSITORY.model(
                        Application.NLP.TEXT_GENERATION, GROUP_ID, PROSE, VERSION));
        addModel(
                Classpath.REPOSITORY.model(
                        Application.NLP.SENTIMENT_ANALYSIS, GROUP_ID, SENTIMENT, VERSION));
    }

    /**
     * Returns the model directory of an artifact, copying it from the classpath into DJL's cache on
     * first use (SHA-1 checked), for code that reads model directories directly.
     *
     * @param artifactId one of {@link #CHARACTERS}, {@link #PROSE}, {@link #SENTIMENT}
     * @return the model directory
     * @throws IOException if the artifact is missing or damaged
     * @throws IllegalArgumentException for an unknown artifact id
     */
    public static Path modelDirectory(String artifactId) throws IOException {
        Application application = application(artifactId);
        MRL mrl = Classpath.REPOSITORY.model(application, GROUP_ID, artifactId, VERSION);
        Artifact artifact = mrl.getDefaultArtifact();
        if (artifact == null) {
            throw new IOException(
                    "the SpikeGPT zoo has no version " + VERSION + " of " + artifactId);
        }
        mrl.prepare(artifact);
        return Classpath.REPOSITORY.getResourceDirectory(artifact);
    }

    /**
     * Returns the application an artifact serves.
     *
     * @param artifactId one of {@link #CHARACTERS}, {@link #PROSE}, {@link #SENTIMENT}
     * @return its application
     * @throws IllegalArgumentException for an unknown artifact id
     */
    public static Application application(String artifactId) {
        return switch (artifactId) {
            case CHARACTERS, PROSE -> Application.NLP.TEXT_GENERATION;
            case SENTIMENT -> Application.NLP.SENTIMENT_ANALYSIS;
            default ->
                    throw new IllegalArgumentException(
                            "the SpikeGPT zoo has no artifact '"
                                    + artifactId
                                    + "'; it has "
                                    + CHARACTERS
                                    + ", "
                                    + PROSE
                                    + " and "
                                    + SENTIMENT);
        };
    }

    @Override
    public String getGroupId() {
        return GROUP_ID;
    }

    @Override
    public Set<String> getSupportedEngines() {
        return Set.of("PyTorch");
    }
}
