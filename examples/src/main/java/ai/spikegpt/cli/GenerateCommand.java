package ai.spikegpt.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.spikegpt.generate.SamplingConfig;
import ai.spikegpt.generate.SequenceModel;
import ai.spikegpt.generate.SpikeGptGenerator;
import ai.spikegpt.inference.JavaSpikeGpt;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.model.SpikeGptModel;
import ai.spikegpt.tokenizer.TextTokenizer;
import ai.spikegpt.zoo.JavaModelDirectory;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code spikegpt generate}: continues a prompt, printing tokens as they are produced. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Generate text after a prompt, streaming it as it is produced.")
final class GenerateCommand implements Callable<Integer> {

    @Mixin ModelOption model;

    @Mixin EngineOption engine;

    @Option(names = "--prompt", required = true, description = "the text to continue")
    String prompt;

    @Option(
            names = "--max-tokens",
            defaultValue = "200",
            description = "tokens to generate (default: ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(
            names = "--temperature",
            defaultValue = "0.8",
            description = "0 = greedy (default: ${DEFAULT-VALUE})")
    float temperature;

    @Option(
            names = "--top-k",
            defaultValue = "0",
            description = "keep the k most likely tokens, 0 = all (default: ${DEFAULT-VALUE})")
    int topK;

    @Option(
            names = "--top-p",
            defaultValue = "1",
            description = "nucleus mass in (0, 1], 1 = all (default: ${DEFAULT-VALUE})")
    float topP;

    @Option(
            names = "--seed",
            defaultValue = "0",
            description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws Exception {
        SamplingConfig.Builder sampling =
                SamplingConfig.builder()
                        .optTemperature(temperature)
                        .optTopK(topK)
                        .optTopP(topP)
                        .optMaxTokens(maxTokens)
                        .optSeed(seed);
        if (prompt.isEmpty()) {
            throw new IllegalArgumentException(
                    "the prompt is empty: give some text to continue, e.g. --prompt \"ROMEO:\"");
        }
        Path dir = model.directory();
        SpikeGptConfig modelConfig = ModelDirectory.config(dir);
        if (modelConfig.getClasses() > 0) {
            System.err.println(
                    "warning: "
                            + model
                            + " is a classifier (labels "
                            + String.join(", ", modelConfig.getLabels())
                            + "): its trunk was fine-tuned for classification while its generation head stayed as it was, so expect worse "
                            + "text than from the language model it started from");
        }
        try (TextTokenizer tokenizer = ModelDirectory.tokenizer(dir)) {
            tokenizer.endOfText().ifPresent(sampling::optStopTokens);
            SamplingConfig config =
                    sampling.build(); // checks the values before anything is printed
            tokenizer.encode(prompt); // checks the prompt's characters
            if (engine.isJava(true)) {
                // read straight from the directory: this process never loads the native engine,
                // and the Java engine's session keeps no NDArrays (no manager)
                JavaSpikeGpt java =
                        new JavaSpikeGpt(JavaModelDirectory.languageModel(dir, engine.format()));
                print(new SpikeGptGenerator(SequenceModel.of(java)), null, tokenizer, config);
            } else {
                try (NDManager manager = NDManager.newBaseManager()) {
                    SpikeGptModel lm = ModelDirectory.loadLanguageModel(dir, manager);
                    SequenceModel blocks = SequenceModel.of(lm, new ParameterStore(manager, false));
                    print(new SpikeGptGenerator(blocks), manager, tokenizer, config);
                }
            }
        }
        return 0;
    }

    private void print(
            SpikeGptGenerator generator,
            NDManager manager,
            TextTokenizer tokenizer,
            SamplingConfig config) {
        System.out.print(prompt);
        generator.generate(
                manager,
                prompt,
                tokenizer,
                config,
                piece -> {
                    System.out.print(piece);
                    System.out.flush();
                });
        System.out.println();
    }
}
