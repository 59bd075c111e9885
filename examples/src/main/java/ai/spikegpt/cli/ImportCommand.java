package ai.spikegpt.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.AbstractBlock;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.io.torch.CheckpointImport;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.tokenizer.BpeTokenizer;
import ai.spikegpt.tokenizer.CharTokenizer;
import ai.spikegpt.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code spikegpt import}: turns an original SpikeGPT checkpoint ({@code torch.save} {@code .pth}
 * in fp32 / fp16 / bf16, or safetensors with the original names) into a model directory that every
 * other command reads. See {@code docs/checkpoints.md}.
 */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = {
            "Import an original SpikeGPT checkpoint (torch.save .pth, or .safetensors) into a model directory.",
            "The architecture is inferred from the tensors' names and shapes; every tensor is checked.",
            "Pickles are read as data: anything but a plain state dict is refused, nothing is executed."
        })
final class ImportCommand implements Callable<Integer> {

    @Option(
            names = "--checkpoint",
            required = true,
            description = "the .pth (torch.save state dict) or .safetensors file")
    Path checkpoint;

    @Option(names = "--out", required = true, description = "the model directory to write")
    Path out;

    @Option(
            names = "--tokenizer",
            description =
                    "tokenizer.json (Hugging Face, e.g. 20B_tokenizer.json) or chars.json to put beside the weights")
    Path tokenizer;

    @Option(
            names = "--binary-embedding",
            arity = "1",
            paramLabel = "true|false",
            description =
                    "binarise the embedding (default: true, as trained; the original model_run.py used false unless vocab = 77)")
    Boolean binaryEmbedding;

    @Option(
            names = "--rescale-every",
            paramLabel = "N",
            description =
                    "the original model_run.py's layer halving, RWKV_RESCALE_LAYER (it used 6; default: 0 = off, as trained)")
    Integer rescaleEvery;

    @Option(
            names = "--config",
            description = "config.json to use instead of the inferred configuration")
    Path config;

    @Option(names = "--half", description = "store the weights as float16 (default: float32)")
    boolean half;

    @Mixin ForceOption overwrite;

    @Override
    public Integer call() throws Exception {
        overwrite.refuseExisting("--out", out);
        CheckpointImport.Builder builder = CheckpointImport.builder().setCheckpoint(checkpoint);
        if (config != null) {
            builder.optConfig(SpikeGptConfig.load(config));
        }
        if (binaryEmbedding != null) {
            builder.optBinaryEmbedding(binaryEmbedding);
        }
        if (rescaleEvery != null) {
            builder.optRescaleEvery(rescaleEvery);
        }
        CheckpointImport imported = builder.build();
        SpikeGptConfig cfg = imported.getConfig();
        DataType storage = half ? DataType.FLOAT16 : DataType.FLOAT32;
        try (TextTokenizer text = tokenizer == null ? null : loadTokenizer(tokenizer, cfg);
                NDManager manager = NDManager.newBaseManager()) {
            AbstractBlock block = imported.load(manager);
            ModelDirectory.save(
                    out,
                    block,
                    cfg,
                    text,
                    storage,
                    Map.of("imported_from", checkpoint.getFileName().toString()));
            printSummary(imported, storage, text);
        }
        return 0;
    }

    /**
     * Loads {@code chars.json} as a character tokenizer, anything else as a Hugging Face tokenizer.
     */
    private static TextTokenizer loadTokenizer(Path file, SpikeGptConfig cfg) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no tokenizer file at " + file);
        }
        TextTokenizer t =
                CharTokenizer.FILE.equals(file.getFileName().toString())
                        ? CharTokenizer.load(file)
                        : BpeTokenizer.load(file);
        if (t.vocabSize() > cfg.getVocabSize()) {
            int size = t.vocabSize();
            t.close();
            throw new IllegalArgumentException(
                    file
                            + " has "
                            + size
                            + " tokens but the checkpoint's vocab_size is "
                            + cfg.getVocabSize()
                            + ": this tokenizer does not belong to the model (the 216M model uses 20B_tokenizer.json)");
        }
        return t;
    }

    private void printSummary(CheckpointImport imported, DataType storage, TextTokenizer text) {
        SpikeGptConfig c = imported.getConfig();
        List<String> types = new ArrayList<>();
        imported.getStoredTypes().forEach((type, count) -> types.add(count + " " + type));
        System.out.printf(
                "checkpoint  %s: %s, %d tensors (%s)%n",
                checkpoint,
                imported.getFormat(),
                imported.getTensorCount(),
                String.join(", ", types));
        System.out.printf(
                "config      %s, %s: n_layer %d, n_embd %d, vocab_size %d, ffn_mult %d, ctx_len %d%s%n",
                c,
                imported.getConfigSource(),
                c.getLayers(),
                c.getEmbeddingSize(),
                c.getVocabSize(),
                c.getFfnMultiplier(),
                c.getContextLength(),
                c.getClasses() > 0 ? ", n_classes " + c.getClasses() : "");
        System.out.printf(
                "switches    binary_embedding %s, rescale_every %d%n",
                c.isBinaryEmbedding(), c.getRescaleEvery());
        System.out.printf(
                "tokenizer   %s%n",
                text == null
                        ? "none (pass --tokenizer tokenizer.json to generate text)"
                        : text.type() + ", " + text.vocabSize() + " tokens");
        System.out.printf(
                "wrote       %s (%s, %s as %s%s)%n",
                out,
                ModelDirectory.CONFIG,
                ModelDirectory.WEIGHTS,
                storage == DataType.FLOAT16 ? "float16" : "float32",
                text == null
                        ? ""
                        : ", "
                                + (text instanceof CharTokenizer
                                        ? CharTokenizer.FILE
                                        : BpeTokenizer.FILE));
    }
}
