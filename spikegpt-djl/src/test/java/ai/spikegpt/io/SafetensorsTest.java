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
import ai.spikegpt.model.SpikeGptConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

    @TempDir Path dir;

    @Test
    void roundTripsFloat32AndFloat16WithMetadata() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] values = {1.5f, -2.25f, 0f, 3.1415927f, 1e-3f, 65504f};
            Map<String, NDArray> t = new LinkedHashMap<>();
            t.put("a.weight", m.create(values, new Shape(2, 3)));
            t.put("b", m.create(new float[] {7f}, new Shape(1)));
            Path f32 = dir.resolve("w32.safetensors");
            Safetensors.write(f32, t, Map.of("config", "{\"x\": 1}"), DataType.FLOAT32);
            Safetensors r = Safetensors.open(f32);
            assertEquals("{\"x\": 1}", r.metadata().get("config"));
            assertArrayEquals(values, r.floats("a.weight"));
            assertEquals(new Shape(2, 3), r.entry("a.weight").djlShape());
            assertEquals(
                    0,
                    (8
                                    + (int)
                                            ByteBuffer.wrap(Files.readAllBytes(f32), 0, 8)
                                                    .order(ByteOrder.LITTLE_ENDIAN)
                                                    .getLong())
                            % 8,
                    "header padded to 8 bytes");

            Path f16 = dir.resolve("w16.safetensors");
            Safetensors.write(f16, t, null, DataType.FLOAT16);
            float[] half = Safetensors.open(f16).floats("a.weight");
            for (int i = 0; i < values.length; i++) {
                assertEquals(values[i], half[i], Math.abs(values[i]) * 1e-3, "fp16 rounding");
            }
        }
    }

    @Test
    void convertsBf16AndF16InJava() throws IOException {
        // bf16 of 1.0, -2.0, 0.5 and fp16 of 1.0, -2.0, 2^-24 (smallest subnormal)
        Path f = dir.resolve("mixed.safetensors");
        String header =
                "{\"b\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[0,6]},"
                        + "\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[6,12]}}";
        ByteBuffer buf =
                ByteBuffer.allocate(8 + header.length() + 12).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length()).put(header.getBytes(StandardCharsets.UTF_8));
        buf.putShort((short) 0x3f80).putShort((short) 0xc000).putShort((short) 0x3f00);
        buf.putShort((short) 0x3c00).putShort((short) 0xc000).putShort((short) 0x0001);
        Files.write(f, buf.array());
        Safetensors r = Safetensors.open(f);
        assertArrayEquals(new float[] {1f, -2f, 0.5f}, r.floats("b"));
        assertArrayEquals(new float[] {1f, -2f, (float) Math.pow(2, -24)}, r.floats("h"));
    }

    @Test
    void reportsDamagedFiles() throws IOException {
        Path good = ReferenceVectors.load("tiny").weightsFile();
        byte[] bytes = Files.readAllBytes(good);

        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 1000));
        IOException e = assertThrows(IOException.class, () -> Safetensors.open(truncated));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        Path garbage = dir.resolve("garbage.safetensors");
        Files.writeString(garbage, "this is not a model file at all, just some text.....");
        e = assertThrows(IOException.class, () -> Safetensors.open(garbage));
        assertTrue(e.getMessage().contains("not a valid safetensors"), e.getMessage());

        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        e = assertThrows(IOException.class, () -> Safetensors.open(tiny));
        assertTrue(e.getMessage().contains("only 3 bytes"), e.getMessage());

        assertThrows(IOException.class, () -> Safetensors.open(dir.resolve("missing.safetensors")));
    }

    @Test
    void refusesOverlappingTensors() throws IOException {
        Path f = dir.resolve("overlap.safetensors");
        String header =
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        ByteBuffer buf =
                ByteBuffer.allocate(8 + header.length() + 12).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length()).put(header.getBytes(StandardCharsets.UTF_8));
        Files.write(f, buf.array());
        IOException e = assertThrows(IOException.class, () -> Safetensors.open(f));
        assertTrue(
                e.getMessage().contains("'a' (bytes 0..8) and 'b' (bytes 4..12) overlap"),
                e.getMessage());
    }

    @Test
    void refusesNonFiniteWeightsNamingTheTensor() throws IOException {
        Safetensors good = Safetensors.open(ReferenceVectors.load("tiny").weightsFile());
        Path damaged = dir.resolve("nan.safetensors");
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (String name : good.entries().keySet()) {
                float[] values = good.floats(name);
                if (name.equals("blocks.1.ffn.key.weight")) {
                    values[5] = Float.NaN;
                }
                tensors.put(name, m.create(values, good.entry(name).djlShape()));
            }
            Safetensors.write(damaged, tensors, good.metadata(), DataType.FLOAT32);
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> ModelIO.loadLanguageModel(damaged, null, m));
            assertTrue(
                    e.getMessage().startsWith("tensor 'blocks.1.ffn.key.weight'"), e.getMessage());
            assertTrue(e.getMessage().contains("NaN at index 5"), e.getMessage());
        }
    }

    @Test
    void mismatchedConfigurationsNameTheTensor() throws IOException {
        Path weights = ReferenceVectors.load("tiny").weightsFile();
        SpikeGptConfig fileConfig = ModelIO.config(Safetensors.open(weights), null);
        try (NDManager m = NDManager.newBaseManager()) {
            SpikeGptConfig deeper = fileConfig.toBuilder().setLayers(3).build();
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> ModelIO.loadLanguageModel(weights, deeper, m));
            assertTrue(e.getMessage().contains("lacks tensor 'blocks.2."), e.getMessage());
            assertTrue(e.getMessage().contains("the file holds 2 blocks"), e.getMessage());

            SpikeGptConfig shallower = fileConfig.toBuilder().setLayers(1).build();
            e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> ModelIO.loadLanguageModel(weights, shallower, m));
            assertTrue(e.getMessage().contains("has tensor 'blocks.1."), e.getMessage());

            SpikeGptConfig wider = fileConfig.toBuilder().setVocabSize(65).build();
            e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> ModelIO.loadLanguageModel(weights, wider, m));
            assertTrue(
                    e.getMessage().contains("'emb.weight'") && e.getMessage().contains("(64, 32)"),
                    e.getMessage());
        }
    }
}
