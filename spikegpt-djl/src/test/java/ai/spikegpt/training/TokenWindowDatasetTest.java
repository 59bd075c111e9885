package ai.spikegpt.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Record;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenWindowDatasetTest {

    private static int[] stream(int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = i;
        }
        return t;
    }

    @Test
    void labelsAreTheNextTokens() {
        TokenWindowDataset d =
                TokenWindowDataset.builder()
                        .setTokens(stream(100))
                        .setWindow(8)
                        .optSeed(3)
                        .optWindows(50)
                        .setSampling(4, false)
                        .build();
        try (NDManager m = NDManager.newBaseManager()) {
            for (long i = 0; i < 50; i++) {
                Record r = d.get(m, i);
                long[] x = r.getData().head().toLongArray();
                long[] y = r.getLabels().head().toLongArray();
                assertEquals(8, x.length);
                long s = d.start(i);
                assertTrue(s >= 0 && s + 8 < 100, "window inside the stream with its target");
                for (int t = 0; t < 8; t++) {
                    assertEquals(s + t, x[t]);
                    assertEquals(s + t + 1, y[t]);
                }
            }
        }
    }

    @Test
    void randomWindowsAreReproducibleAndResumable() {
        TokenWindowDataset.Builder base =
                TokenWindowDataset.builder().setTokens(stream(10_000)).setWindow(16).optSeed(7);
        TokenWindowDataset full = base.optWindows(40).setSampling(4, false).build();
        TokenWindowDataset again =
                TokenWindowDataset.builder()
                        .setTokens(stream(10_000))
                        .setWindow(16)
                        .optSeed(7)
                        .optWindows(40)
                        .setSampling(4, false)
                        .build();
        TokenWindowDataset resumed =
                TokenWindowDataset.builder()
                        .setTokens(stream(10_000))
                        .setWindow(16)
                        .optSeed(7)
                        .optFirst(24)
                        .optWindows(16)
                        .setSampling(4, false)
                        .build();
        TokenWindowDataset otherSeed =
                TokenWindowDataset.builder()
                        .setTokens(stream(10_000))
                        .setWindow(16)
                        .optSeed(8)
                        .optWindows(40)
                        .setSampling(4, false)
                        .build();
        List<Long> starts = new ArrayList<>();
        for (long i = 0; i < 40; i++) {
            starts.add(full.start(i));
            assertEquals(full.start(i), again.start(i), "same seed, same windows");
        }
        for (long i = 0; i < 16; i++) {
            assertEquals(
                    full.start(24 + i),
                    resumed.start(i),
                    "a resumed stream continues the same windows");
        }
        assertNotEquals(starts.get(0), otherSeed.start(0));
        assertTrue(starts.stream().distinct().count() > 30, "starts are spread out");
    }

    @Test
    void contiguousWindowsCoverTheStreamOnceAndBatch() throws Exception {
        TokenWindowDataset d =
                TokenWindowDataset.builder()
                        .setTokens(stream(101))
                        .setWindow(10)
                        .optMode(TokenWindowDataset.Mode.CONTIGUOUS)
                        .setSampling(3, false)
                        .build();
        assertEquals(10, d.size());
        for (long i = 0; i < 10; i++) {
            assertEquals(10 * i, d.start(i));
        }
        assertArrayEquals(new int[] {90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100}, d.span(9));
        try (NDManager m = NDManager.newBaseManager()) {
            int windows = 0;
            for (Batch b : d.getData(m)) {
                windows += (int) b.getData().head().getShape().get(0);
                assertEquals(10, b.getData().head().getShape().get(1));
                b.close();
            }
            assertEquals(10, windows);
        }
    }

    @Test
    void tooShortATextIsAClearError() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                TokenWindowDataset.builder()
                                        .setTokens(stream(5))
                                        .setWindow(8)
                                        .setSampling(1, false)
                                        .build());
        assertTrue(e.getMessage().contains("too few"), e.getMessage());
    }
}
