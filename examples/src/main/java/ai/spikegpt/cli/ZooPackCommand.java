package ai.spikegpt.cli;

import ai.spikegpt.zoo.ZooArtifacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code spikegpt zoo-pack}: turns a model directory into one of the model zoo's artifacts. */
@Command(
        name = "zoo-pack",
        mixinStandardHelpOptions = true,
        description = {
            "Pack a model directory as a model-zoo artifact (float16 weights, zip, metadata.json with SHA-1)",
            "under zoo-artifacts/src/main/resources, where the classpath repository serves it."
        })
final class ZooPackCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "the model directory")
    Path model;

    @Option(
            names = "--artifact",
            required = true,
            description = "spikegpt-char, spikegpt-prose or spikegpt-sst2")
    String artifact;

    @Option(
            names = "--root",
            defaultValue = "zoo-artifacts/src/main/resources",
            description = "the resources folder (default: ${DEFAULT-VALUE})")
    Path root;

    @Option(
            names = "--property",
            description = "KEY=VALUE to publish in the metadata, e.g. val_bpc=1.62")
    Map<String, String> properties = new LinkedHashMap<>();

    @Mixin ForceOption overwrite;

    @Override
    public Integer call() throws Exception {
        ZooArtifacts.Description description = ZooArtifacts.describe(artifact, properties);
        overwrite.refuseExisting("--root", ZooArtifacts.zipFile(root, description));
        Path zip = ZooArtifacts.pack(model, root, description);
        System.out.printf("packed %s: %s (%,d bytes)%n", artifact, zip, Files.size(zip));
        return 0;
    }
}
