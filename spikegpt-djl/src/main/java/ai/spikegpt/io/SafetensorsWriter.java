package ai.spikegpt.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.spikegpt.files.AtomicFiles;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes the safetensors format ({@link Safetensors} reads it): the header's JSON padded with
 * spaces to a multiple of 8 bytes, so that every tensor's data starts aligned, then each array's
 * little-endian bytes in the header's order.
 */
final class SafetensorsWriter {

    private static final Gson GSON = new Gson();

    private SafetensorsWriter() {}

    /**
     * Writes float32 arrays (stored as F32 or F16) and metadata to a safetensors file, atomically
     * ({@link AtomicFiles}): a failed or killed write leaves an existing file as it was.
     *
     * @param file the file to write
     * @param tensors name to array, written in this order
     * @param metadata the {@code __metadata__} strings
     * @param storage {@link DataType#FLOAT32} or {@link DataType#FLOAT16}
     * @throws IOException if the file cannot be written
     */
    static void write(
            Path file, Map<String, NDArray> tensors, Map<String, String> metadata, DataType storage)
            throws IOException {
        if (storage != DataType.FLOAT32 && storage != DataType.FLOAT16) {
            throw new IllegalArgumentException(
                    "weights can be stored as float32 or float16, not " + storage);
        }
        String dtype = storage == DataType.FLOAT32 ? "F32" : "F16";
        int width = storage == DataType.FLOAT32 ? 4 : 2;
        JsonObject header = new JsonObject();
        if (metadata != null && !metadata.isEmpty()) {
            header.add("__metadata__", GSON.toJsonTree(metadata));
        }
        long offset = 0;
        for (Map.Entry<String, NDArray> t : tensors.entrySet()) {
            long bytes = t.getValue().size() * width;
            JsonObject o = new JsonObject();
            o.addProperty("dtype", dtype);
            o.add("shape", GSON.toJsonTree(t.getValue().getShape().getShape()));
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offsets.add(offset + bytes);
            o.add("data_offsets", offsets);
            header.add(t.getKey(), o);
            offset += bytes;
        }
        byte[] json = GSON.toJson(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        AtomicFiles.write(
                file,
                tmp -> {
                    try (OutputStream os = Files.newOutputStream(tmp)) {
                        ByteBuffer len =
                                ByteBuffer.allocate(8)
                                        .order(ByteOrder.LITTLE_ENDIAN)
                                        .putLong(0, padded);
                        os.write(len.array());
                        os.write(json);
                        for (int i = json.length; i < padded; i++) {
                            os.write(' ');
                        }
                        for (NDArray a : tensors.values()) {
                            os.write(littleEndianBytes(a, storage));
                        }
                    }
                });
    }

    private static byte[] littleEndianBytes(NDArray a, DataType storage) {
        try (NDArray converted = a.toType(storage, true)) {
            ByteBuffer native_ = converted.toByteBuffer();
            byte[] out = new byte[native_.remaining()];
            native_.get(out);
            if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
                int w = storage == DataType.FLOAT32 ? 4 : 2;
                for (int i = 0; i < out.length; i += w) {
                    for (int j = 0; j < w / 2; j++) {
                        byte t = out[i + j];
                        out[i + j] = out[i + w - 1 - j];
                        out[i + w - 1 - j] = t;
                    }
                }
            }
            return out;
        }
    }
}
