package ai.spikegpt;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The library's packages depend only downward, so a newcomer can read it bottom up:
 *
 * <pre>
 *   spark        batch classification on Apache Spark
 *   zoo          the model zoo, its repository and block factory
 *   translator   DJL translators: text in, classifications or text out
 *   generate     sampling and the generation loop
 *   training     datasets, losses, optimizer, the trainers
 *   io, spikes   weights and model directories on disk; spike monitoring and plots
 *   model        the SpikeGPT blocks and their configuration
 *   nn, tokenizer, files   neurons and scans; tokenizers; safe file reads and writes
 * </pre>
 */
class ArchitectureTest {

    private static final JavaClasses LIBRARY =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("ai.spikegpt");

    @Test
    void packagesDependOnlyDownward() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("spark")
                .definedBy("ai.spikegpt.spark..")
                .layer("zoo")
                .definedBy("ai.spikegpt.zoo..")
                .layer("translator")
                .definedBy("ai.spikegpt.translator..")
                .layer("generate")
                .definedBy("ai.spikegpt.generate..")
                .layer("training")
                .definedBy("ai.spikegpt.training..")
                .layer("io")
                .definedBy("ai.spikegpt.io..")
                .layer("inference")
                .definedBy("ai.spikegpt.inference..")
                .layer("spikes")
                .definedBy("ai.spikegpt.spikes..")
                .layer("model")
                .definedBy("ai.spikegpt.model..")
                .layer("nn")
                .definedBy("ai.spikegpt.nn..")
                .layer("tokenizer")
                .definedBy("ai.spikegpt.tokenizer..")
                .layer("files")
                .definedBy("ai.spikegpt.files..")
                .whereLayer("spark")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("zoo")
                .mayOnlyBeAccessedByLayers("spark")
                .whereLayer("translator")
                .mayOnlyBeAccessedByLayers("zoo", "spark")
                .whereLayer("generate")
                .mayOnlyBeAccessedByLayers("translator", "zoo", "spark")
                .whereLayer("training")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("io")
                .mayOnlyBeAccessedByLayers("training", "translator", "zoo", "spark")
                .whereLayer("spikes")
                .mayOnlyBeAccessedByLayers("training")
                .whereLayer("inference")
                .mayOnlyBeAccessedByLayers("generate", "translator", "zoo", "spark")
                .whereLayer("model")
                .mayOnlyBeAccessedByLayers(
                        "io",
                        "spikes",
                        "inference",
                        "training",
                        "generate",
                        "translator",
                        "zoo",
                        "spark")
                .whereLayer("nn")
                .mayOnlyBeAccessedByLayers(
                        "model",
                        "io",
                        "spikes",
                        "inference",
                        "training",
                        "generate",
                        "translator",
                        "zoo",
                        "spark")
                .whereLayer("tokenizer")
                .mayOnlyBeAccessedByLayers(
                        "model",
                        "io",
                        "spikes",
                        "training",
                        "generate",
                        "translator",
                        "zoo",
                        "spark")
                .check(LIBRARY);
    }

    @Test
    void noPackageCycles() {
        slices().matching("ai.spikegpt.(*)..").should().beFreeOfCycles().check(LIBRARY);
    }
}
