package ai.spikegpt.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Locates the shared folder beside a checkout ({@code ../shared}: the data sets, the PyTorch
 * reference implementation and its test vectors), which is never copied into the repository. The
 * examples' and the integration tests' one way to find it; the {@code spikegpt} launcher and Maven
 * both set it.
 */
public final class SharedFolder {

    /** The system property Maven's test runs set (the parent pom's {@code spikegpt.shared}). */
    public static final String PROPERTY = "spikegpt.shared";

    /** The environment variable the {@code spikegpt} launcher sets. */
    public static final String ENVIRONMENT = "SPIKEGPT_SHARED";

    private SharedFolder() {}

    /**
     * Returns the shared folder: the {@value #PROPERTY} system property, else the {@value
     * #ENVIRONMENT} environment variable, else {@code ../shared} or, from a module's folder, {@code
     * ../../shared}.
     *
     * @return the folder (it may not exist: callers say what they looked for)
     */
    public static Path locate() {
        String configured = System.getProperty(PROPERTY, System.getenv(ENVIRONMENT));
        if (configured != null) {
            return Paths.get(configured);
        }
        Path beside = Paths.get("..", "shared");
        return Files.isDirectory(beside) ? beside : Paths.get("..", "..", "shared");
    }
}
