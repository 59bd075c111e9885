package ai.spikegpt.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleAndClippingTest {

    @Test
    void warmupThenCosine() {
        LearningRateSchedule s = new LearningRateSchedule(6e-4f, 1e-5f, 10, 110);
        assertEquals(6e-5f, s.getNewValue(1), 1e-9f, "linear warm-up from peak / warmup");
        assertEquals(3e-4f, s.getNewValue(5), 1e-9f);
        assertEquals(6e-4f, s.getNewValue(10), 1e-9f, "the peak at the end of the warm-up");
        assertEquals((6e-4f + 1e-5f) / 2, s.getNewValue(60), 1e-8f, "half-way down the cosine");
        assertEquals(1e-5f, s.getNewValue(110), 1e-9f, "the final rate at the end");
        assertEquals(1e-5f, s.getNewValue(500), 1e-9f, "and after it");
    }

    @Test
    void globalNormClippingMatchesTheFormula() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {3f, 0f});
            NDArray b = m.create(new float[] {0f, 4f, 0f});
            float norm = GradientClipping.clip(List.of(a, b), 1f);
            assertEquals(5f, norm, 1e-6f, "the global norm before clipping: sqrt(3^2 + 4^2)");
            float scale = 1f / (5f + 1e-6f);
            assertEquals(3f * scale, a.getFloat(0), 1e-6f);
            assertEquals(4f * scale, b.getFloat(1), 1e-6f);
            float again = GradientClipping.clip(List.of(a, b), 1f);
            assertEquals(1f, again, 1e-5f, "now within the limit");
            assertEquals(3f * scale, a.getFloat(0), 1e-6f, "and left as is");
        }
    }
}
