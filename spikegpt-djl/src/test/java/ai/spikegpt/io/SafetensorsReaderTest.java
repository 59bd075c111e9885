package ai.spikegpt.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.spikegpt.ReferenceVectors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unmapped reader against the NDArray path ({@link Safetensors#floatArray}) on the reference
 * model's weights as stored (F32), written as F16 (the zoo's format) and as BF16, read in chunks
 * small enough that tensors span several reads.
 */
class SafetensorsReaderTest {

    /** 8 KiB plus 8 bytes: reads end at uneven element counts. */
    private static final int SMALL_CHUNK = 8200;

    @TempDir Path dir;

    /** Every tensor of the file read both ways must be bit for bit the same. */
    private static void assertSameAsNdArrayPath(Path file) throws IOException {
        Safetensors mapped = Safetensors.open(file);
        try (NDManager manager = NDManager.newBaseManager();
                SafetensorsReader reader = SafetensorsReader.open(file, SMALL_CHUNK);
                SafetensorsReader defaultChunks = SafetensorsReader.open(file)) {
            assertEquals(mapped.shapes(), reader.shapes());
            assertEquals(mapped.metadata(), reader.metadata());
            for (String name : mapped.shapes().keySet()) {
                float[] expected = mapped.floatArray(manager, name).toFloatArray();
                assertArrayEquals(expected, reader.floats(name), name);
                assertArrayEquals(expected, defaultChunks.floats(name), name);
                assertEquals(mapped.dtype(name), reader.dtype(name));
            }
        }
    }

    @Test
    void readsTheReferenceWeightsAsTheNdArrayPathDoes() throws IOException {
        Path f32 = ReferenceVectors.load("small").weightsFile();
        assertSameAsNdArrayPath(f32);
        try (SafetensorsReader reader = SafetensorsReader.open(f32, SMALL_CHUNK)) {
            long biggest =
                    reader.shapes().values().stream().mapToLong(Shape::size).max().orElseThrow();
            assertTrue(biggest * 4 > 10 * SMALL_CHUNK, "tensors span many reads: " + biggest);
        }
    }

    @Test
    void readsFloat16AsTheNdArrayPathDoes() throws IOException {
        Path f32 = ReferenceVectors.load("small").weightsFile();
        Path f16 = dir.resolve("f16.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            Safetensors source = Safetensors.open(f32);
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            for (String name : source.shapes().keySet()) {
                arrays.put(name, source.floatArray(manager, name));
            }
            Safetensors.write(f16, arrays, source.metadata(), DataType.FLOAT16);
        }
        assertEquals("F16", Safetensors.open(f16).dtype("emb.weight"));
        assertSameAsNdArrayPath(f16);
    }

    @Test
    void readsBfloat16AsTheNdArrayPathDoes() throws IOException {
        // 5000 random bf16 values (a tensor of 10,000 bytes: two reads), then a 3-element one
        Random random = new Random(7);
        short[] values = new short[5003];
        for (int i = 0; i < values.length; i++) {
            values[i] = (short) (Float.floatToIntBits((float) random.nextGaussian()) >>> 16);
        }
        String header =
                "{\"a\":{\"dtype\":\"BF16\",\"shape\":[50,100],\"data_offsets\":[0,10000]},"
                        + "\"b\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[10000,10006]}}";
        ByteBuffer buf =
                ByteBuffer.allocate(8 + header.length() + 2 * values.length)
                        .order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length()).put(header.getBytes(StandardCharsets.UTF_8));
        for (short v : values) {
            buf.putShort(v);
        }
        Path bf16 = Files.write(dir.resolve("bf16.safetensors"), buf.array());
        assertSameAsNdArrayPath(bf16);
        try (SafetensorsReader reader = SafetensorsReader.open(bf16, SMALL_CHUNK)) {
            assertEquals(Float.intBitsToFloat(values[5000] << 16), reader.floats("b")[0]);
        }
    }

    @Test
    void refusesATruncatedFileAsSafetensorsDoes() throws IOException {
        byte[] whole = Files.readAllBytes(ReferenceVectors.load("tiny").weightsFile());
        Path cut =
                Files.write(
                        dir.resolve("cut.safetensors"), Arrays.copyOf(whole, whole.length - 100));
        IOException mapped = assertThrows(IOException.class, () -> Safetensors.open(cut));
        IOException read = assertThrows(IOException.class, () -> SafetensorsReader.open(cut));
        assertEquals(mapped.getMessage(), read.getMessage());
        assertTrue(read.getMessage().contains("is truncated"), read.getMessage());
    }
}
