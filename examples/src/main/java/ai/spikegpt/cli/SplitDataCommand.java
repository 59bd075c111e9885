package ai.spikegpt.cli;

import ai.spikegpt.files.AtomicFiles;
import ai.spikegpt.files.TextFiles;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code spikegpt split-data}: splits a labelled-text file with a fixed seed into train, dev and
 * test files, for data sets that come without splits (MR, Subj).
 */
@Command(
        name = "split-data",
        mixinStandardHelpOptions = true,
        description = {
            "Shuffle a LABEL<TAB or space>TEXT file with a fixed seed and split it into OUT/train.txt, OUT/dev.txt",
            "and OUT/test.txt (UTF-8), e.g. MR and Subj: 10%% test, and 10%% of the rest as dev for early stopping."
        })
final class SplitDataCommand implements Callable<Integer> {

    private static final String TRAIN = "train.txt";
    private static final String DEV = "dev.txt";
    private static final String TEST = "test.txt";

    @Option(names = "--data", required = true, description = "the labelled-text file")
    Path data;

    @Option(
            names = "--out",
            required = true,
            description = "the directory for train.txt, dev.txt and test.txt")
    Path out;

    @Option(
            names = "--test",
            defaultValue = "0.1",
            description = "fraction held out for testing (default: ${DEFAULT-VALUE})")
    double test;

    @Option(
            names = "--dev",
            defaultValue = "0.1",
            description = "fraction of the rest for dev (default: ${DEFAULT-VALUE})")
    double dev;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "shuffling seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--charset",
            defaultValue = "UTF-8",
            description =
                    "the file's encoding, e.g. ISO-8859-1 for MR's rt-polarity.all (default: ${DEFAULT-VALUE})")
    Charset charset;

    @Mixin ForceOption overwrite;

    @Override
    public Integer call() throws Exception {
        if (!(test > 0 && test < 1) || !(dev >= 0 && dev < 1)) {
            throw new IllegalArgumentException("--test must be in (0, 1) and --dev in [0, 1)");
        }
        if (!Files.isRegularFile(data)) {
            throw new IllegalArgumentException("no data file at " + data);
        }
        overwrite.refuseExisting("--out", out.resolve(TEST), out.resolve(DEV), out.resolve(TRAIN));
        List<String> lines = new ArrayList<>();
        for (String line : readText().split("\r?\n")) {
            if (!line.isBlank()) {
                lines.add(line.strip());
            }
        }
        Collections.shuffle(lines, new Random(seed));
        int testSize = (int) Math.round(lines.size() * test);
        int devSize = (int) Math.round((lines.size() - testSize) * dev);
        Files.createDirectories(out);
        write(TEST, lines.subList(0, testSize));
        write(DEV, lines.subList(testSize, testSize + devSize));
        write(TRAIN, lines.subList(testSize + devSize, lines.size()));
        System.out.printf(
                "%s: %d examples -> train %d, dev %d, test %d in %s (seed %d)%n",
                data,
                lines.size(),
                lines.size() - testSize - devSize,
                devSize,
                testSize,
                out,
                seed);
        return 0;
    }

    private String readText() throws IOException {
        try {
            return TextFiles.read(data, charset);
        } catch (TextFiles.NotTextException e) {
            throw new IOException(e.getMessage() + ", or give its encoding with --charset", e);
        }
    }

    private void write(String name, List<String> lines) throws IOException {
        AtomicFiles.write(
                out.resolve(name), tmp -> Files.write(tmp, lines, StandardCharsets.UTF_8));
    }
}
