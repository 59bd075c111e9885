package ai.spikegpt.zoo;

import ai.djl.repository.AbstractRepository;
import ai.djl.repository.Artifact;
import ai.djl.repository.MRL;
import ai.djl.repository.Metadata;
import ai.djl.repository.Version;
import ai.djl.repository.VersionRange;
import ai.djl.util.JsonUtils;
import ai.djl.util.Progress;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A DJL model repository on the classpath: {@code <base>/model/<application>/<group path>/<artifact
 * id>/metadata.json} (DJL's MRL layout) describes the versions of a model, whose files (zips of
 * model directories) sit next to it. Files are copied into DJL's cache on first use (a folder per
 * content), their SHA-1 checked against the metadata (by DJL's {@link AbstractRepository}); nothing
 * touches the network.
 *
 * <p>Why not DJL's {@code jar://} repository: it serves one file without metadata, so it has no
 * versions and no checksum.
 */
public final class ClasspathRepository extends AbstractRepository {

    private final String base;

    /**
     * @param name the repository name
     * @param base the resource folder, e.g. {@code spikegpt-zoo}
     */
    public ClasspathRepository(String name, String base) {
        super(name, URI.create("classpath:/" + base + "/"));
        this.base = base;
    }

    @Override
    public boolean isRemote() {
        return true; // files are copied into the cache, like downloads
    }

    @Override
    public Metadata locate(MRL mrl) throws IOException {
        String path = resourcePath(mrl, "metadata.json");
        try (InputStream in = open(path);
                Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            Metadata metadata = JsonUtils.GSON.fromJson(reader, Metadata.class);
            metadata.init(arguments);
            metadata.setRepositoryUri(mrl.toURI());
            return metadata;
        }
    }

    @Override
    public Artifact resolve(MRL mrl, Map<String, String> filter) throws IOException {
        List<Artifact> artifacts = locate(mrl).search(VersionRange.parse(mrl.getVersion()), filter);
        return artifacts.stream()
                .max(Comparator.comparing(a -> new Version(a.getVersion())))
                .orElse(null);
    }

    /**
     * The cache folder of an artifact's files, one per content: DJL takes a folder that exists as
     * prepared, so a model rebuilt under the same version would otherwise be served stale.
     */
    @Override
    public Path getResourceDirectory(Artifact artifact) throws IOException {
        // every file's SHA-1 counts, not only the first one's
        String key =
                artifact.getFiles().values().stream()
                        .map(item -> String.valueOf(item.getSha1Hash()))
                        .map(sha1 -> sha1.substring(0, Math.min(12, sha1.length())))
                        .collect(Collectors.joining("-"));
        return getCacheDirectory().resolve(artifact.getResourceUri().getPath()).resolve(key);
    }

    @Override
    public List<MRL> getResources() {
        return Collections.emptyList();
    }

    @Override
    protected void download(Path tmp, URI baseUri, Artifact.Item item, Progress progress)
            throws IOException {
        String path = trim(baseUri.getPath()) + "/" + item.getUri();
        try (InputStream in = new BufferedInputStream(open(base + "/" + trim(path)))) {
            save(in, tmp, item, progress); // verifies item.getSha1Hash()
        }
    }

    private String resourcePath(MRL mrl, String file) {
        return base + "/" + trim(mrl.toURI().getPath()) + "/" + file;
    }

    /** Drops leading and trailing slashes. */
    private static String trim(String path) {
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private static InputStream open(String path) throws IOException {
        InputStream in = ClasspathRepository.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IOException(
                    "the SpikeGPT model zoo has no "
                            + path
                            + " on the classpath: add the ai.spikegpt:zoo-artifacts jar");
        }
        return in;
    }
}
