package ai.spikegpt.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.spikegpt.io.ModelDirectory;
import ai.spikegpt.model.SpikeGptConfig;
import ai.spikegpt.model.SpikeGptModel;
import ai.spikegpt.model.Variant;
import ai.spikegpt.spikes.EnergyModel;
import ai.spikegpt.spikes.FiringRatePlot;
import ai.spikegpt.spikes.MembranePlot;
import ai.spikegpt.spikes.NeuronSite;
import ai.spikegpt.spikes.OperationCounter;
import ai.spikegpt.spikes.OperationReport;
import ai.spikegpt.spikes.RasterPlot;
import ai.spikegpt.spikes.SpikeMonitor;
import ai.spikegpt.spikes.SpikeStatistics;
import ai.spikegpt.spikes.SpikeTable;
import ai.spikegpt.spikes.SpikeTraces;
import ai.spikegpt.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code spikegpt spikes}: runs a model over a text with a {@link SpikeMonitor} attached and prints
 * the firing rate and never-firing fraction of every layer, the operation counts (MACs, synaptic
 * operations, additions), the energy estimate against a same-shape non-spiking RWKV, and writes PNG
 * plots: a spike raster of chosen blocks, the membrane potential of a few neurons, and the firing
 * rate by block.
 */
@Command(
        name = "spikes",
        mixinStandardHelpOptions = true,
        description =
                "Firing rates, operation counts, an energy estimate and spike plots of a model on a text.")
final class SpikesCommand implements Callable<Integer> {

    @Mixin ModelOption model;

    @Option(names = "--text", required = true, description = "the input text")
    String text;

    @Option(
            names = "--out",
            defaultValue = "spikes",
            description = "folder for the PNG plots (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(
            names = "--layers",
            split = ",",
            description = "blocks to plot, e.g. 0,5 (default: the first and the last)")
    List<Integer> layers;

    @Option(
            names = "--neurons",
            defaultValue = "4",
            description = "neurons per membrane plot (default: ${DEFAULT-VALUE})")
    int neurons;

    @Option(
            names = "--raster-neurons",
            defaultValue = "128",
            description = "channels shown per raster panel (default: ${DEFAULT-VALUE})")
    int rasterNeurons;

    @Option(
            names = "--e-mac",
            defaultValue = "4.6",
            description = "energy of a MAC in pJ (default: ${DEFAULT-VALUE}, 45 nm)")
    double macPj;

    @Option(
            names = "--e-ac",
            defaultValue = "0.9",
            description = "energy of an accumulate in pJ (default: ${DEFAULT-VALUE}, 45 nm)")
    double acPj;

    @Option(names = "--detail", description = "also print every linear layer and element-wise step")
    boolean detail;

    @Option(names = "--no-plots", description = "print the tables only")
    boolean noPlots;

    @Mixin ForceOption overwrite;

    @Override
    public Integer call() throws Exception {
        if (!noPlots) {
            overwrite.refuseExisting("--out", out);
        }
        Path dir = model.directory();
        SpikeGptConfig config = ModelDirectory.config(dir);
        EnergyModel energy = EnergyModel.builder().optMacEnergy(macPj).optAcEnergy(acPj).build();
        if (neurons < 1 || rasterNeurons < 1) {
            throw new IllegalArgumentException("--neurons and --raster-neurons must be at least 1");
        }
        List<Integer> plotted = plottedLayers(config);
        long[] ids;
        List<String> tokens = new ArrayList<>();
        try (TextTokenizer tokenizer = ModelDirectory.tokenizer(dir)) {
            ids = tokenizer.encode(text);
            if (ids.length == 0) {
                throw new IllegalArgumentException("--text is empty: give at least one character");
            }
            for (long id : ids) {
                tokens.add(tokenizer.decode(new long[] {id}));
            }
        }
        boolean spiking = config.getVariant().spiking();
        SpikeStatistics stats;
        SpikeTraces traces;
        try (NDManager manager = NDManager.newBaseManager()) {
            SpikeGptModel lm = ModelDirectory.loadLanguageModel(dir, manager);
            SpikeMonitor monitor =
                    SpikeMonitor.builder(lm)
                            .optTraceLayers(
                                    spiking
                                            ? plotted.stream().mapToInt(Integer::intValue).toArray()
                                            : new int[0])
                            .optMaxTraceTokens(ids.length)
                            .build();
            NDArray input = manager.create(ids, new Shape(1, ids.length));
            lm.forward(new ParameterStore(manager, false), input, null, false, monitor);
            stats = monitor.statistics();
            traces = monitor.traces();
        }
        OperationReport report = OperationCounter.count(stats, energy);
        System.out.println("model: " + dir);
        System.out.println();
        System.out.print(SpikeTable.layers(report));
        if (detail) {
            System.out.println();
            System.out.print(SpikeTable.operations(report));
        }
        System.out.println();
        System.out.print(SpikeTable.summary(report));
        if (!spiking) {
            System.out.println(
                    "this is a vanilla RWKV model: it has no spikes, so there is nothing to plot");
        } else if (!noPlots) {
            writePlots(config, stats, traces, RasterPlot.labels(tokens), plotted);
        }
        return 0;
    }

    private List<Integer> plottedLayers(SpikeGptConfig config) {
        int count = config.getLayers();
        TreeSet<Integer> chosen = new TreeSet<>(layers == null ? List.of(0, count - 1) : layers);
        for (int layer : chosen) {
            if (layer < 0 || layer >= count) {
                throw new IllegalArgumentException(
                        "--layers: the model has blocks 0.." + (count - 1) + ", not " + layer);
            }
        }
        return new ArrayList<>(chosen);
    }

    private void writePlots(
            SpikeGptConfig config,
            SpikeStatistics stats,
            SpikeTraces traces,
            List<String> labels,
            List<Integer> plotted)
            throws IOException {
        List<Path> written = new ArrayList<>();
        written.add(RasterPlot.write(traces, labels, rasterNeurons, out.resolve("raster.png")));
        if (config.getVariant() != Variant.HEAVISIDE_RWKV) {
            for (int layer : plotted) {
                for (NeuronSite site : new NeuronSite[] {NeuronSite.LIF1, NeuronSite.LIF2}) {
                    int[] chosen = MembranePlot.pickNeurons(traces, layer, site, neurons);
                    Path file = out.resolve("membrane-block" + layer + "-" + site.label() + ".png");
                    written.add(MembranePlot.write(traces, layer, site, chosen, labels, file));
                }
            }
        } else {
            System.out.println("Heaviside neurons have no membrane: no membrane plots");
        }
        written.add(FiringRatePlot.write(stats, out.resolve("firing-rates.png")));
        System.out.println();
        System.out.println("plots:");
        for (Path p : written) {
            System.out.println("  " + p);
        }
    }
}
