package ai.spikegpt.io.torch;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.spikegpt.TestSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Python reference ({@code ../shared/reference/spikegpt_ref.py}) from tests. Tests that
 * need it are skipped, with a message saying what is missing, where {@code /usr/bin/python3} with
 * torch is not installed; that is the only reason a test here is skipped.
 */
final class PythonReference {

    /**
     * The interpreter: {@code -Dspikegpt.python=...}, by default Debian's {@code /usr/bin/python3}.
     */
    static final Path PYTHON = Paths.get(System.getProperty("spikegpt.python", "/usr/bin/python3"));

    private static Boolean available;

    private PythonReference() {}

    /**
     * Returns the reference runner, or skips the calling test if Python with torch is missing.
     *
     * @return the runner
     */
    static PythonReference require() {
        if (available == null) {
            available = Files.isExecutable(PYTHON) && probe();
        }
        assumeTrue(
                available,
                "skipped: needs "
                        + PYTHON
                        + " with torch and numpy (Debian: apt-get install"
                        + " python3-torch python3-numpy) to run the Python reference");
        return new PythonReference();
    }

    private static boolean probe() {
        try {
            Process p =
                    new ProcessBuilder(PYTHON.toString(), "-c", "import torch, numpy")
                            .redirectErrorStream(true)
                            .start();
            p.getInputStream().readAllBytes();
            return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * @return the folder of {@code spikegpt_ref.py}
     */
    static Path referenceDir() {
        return TestSupport.shared().resolve("reference").toAbsolutePath();
    }

    /**
     * Runs a script from the test resources ({@code src/test/resources/torch/NAME}) with the
     * reference folder as its first argument.
     *
     * @param script the script's file name
     * @param args further arguments
     * @return its standard output
     */
    String runScript(String script, String... args) throws Exception {
        Path file = Paths.get(PythonReference.class.getResource("/torch/" + script).toURI());
        List<String> cmd =
                new ArrayList<>(
                        List.of(PYTHON.toString(), file.toString(), referenceDir().toString()));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /**
     * Runs Python code.
     *
     * @param code the code ({@code python3 -c})
     * @param args its {@code sys.argv[1:]}
     * @return its standard output
     */
    String runCode(String code, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), "-c", code));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private static String run(List<String> cmd) throws Exception {
        Path err = Files.createTempFile("python", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
            pb.environment().put("OMP_NUM_THREADS", "1");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out: " + cmd);
            }
            if (p.exitValue() != 0) {
                fail(
                        "exit "
                                + p.exitValue()
                                + " from "
                                + cmd
                                + ":\n"
                                + Files.readString(err)
                                + out);
            }
            return out;
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
