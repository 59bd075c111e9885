package ai.spikegpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code spikegpt serve} and {@code serve-load} on the command line. */
class ServeCommandTest {

    @Test
    void badOptionsGetOneLine() {
        Object[] r =
                ImportExportCommandTest.cli(
                        "serve", "--model", "spikegpt-sst2", "--batch-size", "0");
        assertEquals(ErrorReport.USER_ERROR, r[0]);
        assertEquals("error: batch size must be between 1 and 4096, got 0\n", r[2]);
        r = ImportExportCommandTest.cli("serve", "--model", "no-such-model");
        assertEquals(ErrorReport.USER_ERROR, r[0]);
        assertTrue(((String) r[2]).startsWith("error: no model at no-such-model"), (String) r[2]);
        r = ImportExportCommandTest.cli("serve", "--model", "spikegpt-sst2", "--port", "70000");
        assertEquals(ErrorReport.USER_ERROR, r[0]);
        assertTrue(((String) r[2]).contains("port must be between 0 and 65535"), (String) r[2]);
    }

    @Test
    void aTakenPortGetsOneLine() throws Exception {
        try (java.net.ServerSocket taken =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Object[] r =
                    ImportExportCommandTest.cli(
                            "serve",
                            "--model",
                            "spikegpt-char",
                            "--port",
                            Integer.toString(taken.getLocalPort()));
            assertEquals(ErrorReport.USER_ERROR, r[0], (String) r[2]);
            assertTrue(
                    ((String) r[2])
                            .lines()
                            .anyMatch(l -> l.startsWith("error: cannot listen on 127.0.0.1:")),
                    (String) r[2]);
            assertTrue(((String) r[2]).contains("give another --port"), (String) r[2]);
        }
    }

    @Test
    void serveLoadRefusesALanguageModel() {
        Object[] r =
                ImportExportCommandTest.cli(
                        "serve-load", "--model", "spikegpt-char", "--requests", "1");
        assertEquals(ErrorReport.USER_ERROR, r[0], (String) r[2]);
        assertTrue(((String) r[2]).contains("is a language model"), (String) r[2]);
    }

    /** A short load run: the table's row has every request answered. */
    @Test
    void serveLoadPrintsARowPerBatchSize() {
        Object[] r =
                ImportExportCommandTest.cli(
                        "serve-load", "--requests", "24", "--clients", "3", "--batch-sizes", "4");
        assertEquals(0, r[0], (String) r[2]);
        String[] lines = ((String) r[1]).split("\n");
        assertTrue(lines[1].startsWith("batch  sent  errors"), lines[1]);
        String[] row = lines[2].trim().split("\\s+");
        assertEquals("4", row[0]);
        assertEquals("24", row[1]);
        assertEquals("0", row[2]);
    }
}
