package ai.spikegpt.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.io.ModelIO;
import ai.spikegpt.io.torch.TorchCheckpoint;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.model.SpikeGptModel;
import ai.spikegpt.model.SpikeGptState;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spikegpt logits}: the logits of token sequences as JSON, to check any checkpoint. */
@Command(
        name = "logits",
        mixinStandardHelpOptions = true,
        description =
                "Print the logits of token-id sequences as JSON (parallel or recurrent form).")
final class LogitsCommand implements Callable<Integer> {

    enum Mode {
        parallel,
        recurrent
    }

    @Option(
            names = "--weights",
            required = true,
            description =
                    "a model directory (e.g. from 'spikegpt import') or a safetensors file with the original names")
    Path weights;

    @Option(
            names = "--config",
            description =
                    "config.json (default: the model directory's, or the weights' __metadata__.config)")
    Path config;

    @Option(
            names = "--ids",
            required = true,
            description =
                    "token ids, ',' between tokens, ';' between sequences, e.g. \"3,1,4;1,5,9\"")
    String ids;

    @Option(
            names = "--mode",
            defaultValue = "parallel",
            description = "parallel or recurrent (default: ${DEFAULT-VALUE})")
    Mode mode;

    @Override
    public Integer call() throws Exception {
        List<long[]> sequences = parseIds(ids);
        try (NDManager manager = NDManager.newBaseManager()) {
            boolean directory = ModelDirectory.isModelDirectory(weights);
            if (!directory && Files.isDirectory(weights)) {
                ModelArgument.resolve(weights.toString()); // explains what the directory lacks
            }
            if (Files.isRegularFile(weights) && TorchCheckpoint.isZip(weights)) {
                throw new IllegalArgumentException(
                        weights
                                + " is a PyTorch checkpoint: import it first with"
                                + " 'spikegpt import --checkpoint "
                                + weights
                                + " --out DIR', then pass --weights DIR");
            }
            SpikeGptConfig cfg =
                    config != null
                            ? SpikeGptConfig.load(config)
                            : directory ? ModelDirectory.config(weights) : null;
            SpikeGptModel model =
                    ModelIO.loadLanguageModel(
                            directory ? weights.resolve(ModelDirectory.WEIGHTS) : weights,
                            cfg,
                            manager);
            ParameterStore ps = new ParameterStore(manager, false);
            JsonArray out = new JsonArray();
            for (long[] seq : sequences) {
                NDArray tokens = manager.create(seq, new Shape(1, seq.length));
                NDArray logits =
                        mode == Mode.parallel
                                ? parallel(model, ps, tokens)
                                : recurrent(model, ps, tokens, manager);
                JsonObject item = new JsonObject();
                JsonArray idArray = new JsonArray();
                for (long id : seq) {
                    idArray.add(id);
                }
                item.add("ids", idArray);
                item.add(
                        "logits",
                        toJson(
                                logits.toFloatArray(),
                                seq.length,
                                model.getConfig().getVocabSize()));
                out.add(item);
            }
            JsonObject result = new JsonObject();
            result.addProperty("mode", mode.name());
            result.addProperty("model", model.getConfig().toString());
            result.add("sequences", out);
            System.out.println(result);
        }
        return 0;
    }

    private static NDArray parallel(SpikeGptModel model, ParameterStore ps, NDArray tokens) {
        return model.forward(ps, tokens, null, false, null).logits();
    }

    private static NDArray recurrent(
            SpikeGptModel model, ParameterStore ps, NDArray tokens, NDManager manager) {
        SpikeGptState state = SpikeGptState.zeros(manager, model.getConfig(), 1);
        List<NDArray> steps = new ArrayList<>();
        long length = tokens.getShape().get(1);
        for (long t = 0; t < length; t++) {
            SpikeGptModel.Output out =
                    model.forward(
                            ps, tokens.get(new NDIndex(":, {}:{}", t, t + 1)), state, false, null);
            steps.add(out.logits());
            state = out.state();
        }
        return ai.djl.ndarray.NDArrays.concat(new ai.djl.ndarray.NDList(steps), 1);
    }

    static List<long[]> parseIds(String text) {
        List<long[]> sequences = new ArrayList<>();
        for (String part : text.split(";", -1)) {
            String trimmed = part.trim();
            if (trimmed.isEmpty()) {
                throw new IllegalArgumentException(
                        "--ids has an empty sequence: write e.g. \"3,1,4;1,5,9\"");
            }
            String[] items = trimmed.split(",", -1);
            long[] seq = new long[items.length];
            for (int i = 0; i < items.length; i++) {
                try {
                    seq[i] = Long.parseLong(items[i].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "--ids: '" + items[i].trim() + "' is not a token id (an integer)");
                }
            }
            sequences.add(seq);
        }
        return sequences;
    }

    private static JsonArray toJson(float[] values, int steps, int vocab) {
        JsonArray rows = new JsonArray();
        for (int t = 0; t < steps; t++) {
            JsonArray row = new JsonArray();
            for (int v = 0; v < vocab; v++) {
                row.add(values[t * vocab + v]);
            }
            rows.add(row);
        }
        return rows;
    }
}
