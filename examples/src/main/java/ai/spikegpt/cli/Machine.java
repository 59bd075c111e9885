package ai.spikegpt.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a benchmark ran on: the CPU (model, vendor, cores, widest vector extension) from {@code
 * /proc/cpuinfo}, and the math libraries a process actually mapped (from {@code /proc/self/maps}),
 * so that a figure is never quoted without the kernels behind it.
 */
final class Machine {

    private static final Pattern BLAS =
            Pattern.compile("/(lib(?:mkl|openblas|blas|blis|iomp|gomp|torch_cpu)[^/]*\\.so[^/]*)$");

    private Machine() {}

    /**
     * @return e.g. {@code Intel(R) Xeon(R) ... (GenuineIntel, 2 cores, avx512f)}
     */
    static String cpu() {
        try {
            List<String> lines = Files.readAllLines(Paths.get("/proc/cpuinfo"));
            String model = field(lines, "model name");
            String vendor = field(lines, "vendor_id");
            String flags = " " + field(lines, "flags") + " ";
            String vector =
                    flags.contains(" avx512f ")
                            ? "avx512f"
                            : flags.contains(" avx2 ") ? "avx2" : "no avx2";
            long cores = lines.stream().filter(l -> l.startsWith("processor")).count();
            return String.format(
                    Locale.ROOT, "%s (%s, %d cores, %s)", model, vendor, cores, vector);
        } catch (IOException e) {
            return "unknown CPU (" + e.getMessage() + ")";
        }
    }

    private static String field(List<String> lines, String name) {
        for (String l : lines) {
            if (l.startsWith(name)) {
                return l.substring(l.indexOf(':') + 1).trim();
            }
        }
        return "?";
    }

    /**
     * Lists the BLAS / OpenMP / libtorch libraries mapped into this process.
     *
     * @return their file names, or "none" (e.g. when only Java loops ran)
     */
    static String loadedBlas() {
        TreeSet<String> names = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/maps"))) {
                Matcher m = BLAS.matcher(line.trim());
                if (m.find()) {
                    names.add(m.group(1));
                }
            }
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return names.isEmpty() ? "none" : String.join(" ", names);
    }

    /**
     * @return the JIT's vector settings, e.g. {@code HotSpot UseAVX=3 MaxVectorSize=64}
     */
    static String jit() {
        try {
            HotSpotDiagnosticMXBean hs =
                    ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return "HotSpot "
                    + Runtime.version().feature()
                    + " UseAVX="
                    + hs.getVMOption("UseAVX").getValue()
                    + " MaxVectorSize="
                    + hs.getVMOption("MaxVectorSize").getValue();
        } catch (RuntimeException e) {
            return "JIT settings unknown";
        }
    }
}
