package ai.spikegpt.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.AbstractBlock;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.io.torch.CheckpointExport;
import ai.spikegpt.model.SpikeGptConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code spikegpt export}: writes a model directory's weights as safetensors with the original
 * PyTorch names and shapes, for {@code load_state_dict(strict=True)} in the original code; a
 * classifier's head goes to {@code <name>.classifier.safetensors}. See {@code docs/checkpoints.md}.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Export a model directory's weights for PyTorch: safetensors with the original SpikeGPT names and shapes.",
            "A classifier's classifier.weight/.bias go to <name>.classifier.safetensors beside it."
        })
final class ExportCommand implements Callable<Integer> {

    @Mixin ModelOption model;

    @Option(names = "--out", required = true, description = "the .safetensors file to write")
    Path out;

    @Option(names = "--half", description = "store the weights as float16 (default: float32)")
    boolean half;

    @Mixin ForceOption overwrite;

    @Override
    public Integer call() throws Exception {
        if (Files.isDirectory(out)) {
            throw new IllegalArgumentException(
                    out + " is a folder: --out names the .safetensors file to write");
        }
        Path dir = model.directory();
        SpikeGptConfig config = ModelDirectory.config(dir);
        if (config.getClasses() >= 2) {
            overwrite.refuseExisting("--out", out, CheckpointExport.classifierFile(out));
        } else {
            overwrite.refuseExisting("--out", out);
        }
        DataType storage = half ? DataType.FLOAT16 : DataType.FLOAT32;
        try (NDManager manager = NDManager.newBaseManager()) {
            AbstractBlock block =
                    config.getClasses() >= 2
                            ? ModelDirectory.loadClassifier(dir, manager)
                            : ModelDirectory.loadLanguageModel(dir, manager);
            CheckpointExport.Result result = CheckpointExport.write(block, config, out, storage);
            String type = half ? "float16" : "float32";
            System.out.printf(
                    "wrote %s: %d tensors (%s) under the original names, config %s%n",
                    result.languageModel(), result.languageModelTensors(), type, config);
            if (result.classifier() != null) {
                System.out.printf(
                        "wrote %s: %d tensors (classifier.weight, classifier.bias)%n",
                        result.classifier(), result.classifierTensors());
            }
            System.out.println(
                    "load in PyTorch: model.load_state_dict(safetensors.torch.load_file(\""
                            + out
                            + "\"), strict=True)");
        }
        return 0;
    }
}
