package ai.spikegpt.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The validated header of a safetensors file, shared by the mapped {@link Safetensors} and the
 * unmapped {@link SafetensorsReader}: the tensors (each one's dtype, shape and byte range checked
 * against the data that follows), the {@code __metadata__} strings, and where the data starts.
 *
 * @param entries the tensors by name, in file order
 * @param metadata the {@code __metadata__} strings
 * @param dataStart the file offset of the first data byte (8 + the header length)
 * @param dataLength the number of data bytes
 */
record SafetensorsHeader(
        Map<String, Safetensors.Entry> entries,
        Map<String, String> metadata,
        long dataStart,
        long dataLength) {

    private static final long MAX_HEADER = 100L << 20;

    /**
     * Opens a file for reading, with a clear message if it does not exist.
     *
     * @param file the file
     * @return the open channel
     * @throws IOException if the file cannot be opened
     */
    static FileChannel openChannel(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such safetensors file: " + file);
        }
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    /**
     * Reads and validates the header.
     *
     * @param file the file, for messages
     * @param channel the open file
     * @return the header
     * @throws IOException if the file cannot be read or is not a valid safetensors file
     */
    static SafetensorsHeader read(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw new IOException(file + " is not a safetensors file: only " + size + " bytes");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0);
        long headerLength = lengthBytes.getLong(0);
        if (headerLength <= 0 || headerLength > MAX_HEADER || headerLength > size - 8) {
            throw new IOException(
                    file
                            + " is not a valid safetensors file (header length "
                            + headerLength
                            + ", file size "
                            + size
                            + "): truncated or not safetensors");
        }
        ByteBuffer header = ByteBuffer.allocate((int) headerLength);
        readFully(channel, header, 8);
        String json = new String(header.array(), StandardCharsets.UTF_8);
        long dataLength = size - 8 - headerLength;
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, Safetensors.Entry> entries = parseHeader(file, json, dataLength, metadata);
        return new SafetensorsHeader(entries, metadata, 8 + headerLength, dataLength);
    }

    /**
     * Fills a buffer from a file position.
     *
     * @param channel the file
     * @param buffer the buffer, filled from its position to its limit
     * @param position the file offset of the buffer's position
     * @throws IOException if the file ends first
     */
    static void readFully(FileChannel channel, ByteBuffer buffer, long position)
            throws IOException {
        long at = position - buffer.position();
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at + buffer.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private static Map<String, Safetensors.Entry> parseHeader(
            Path file, String json, long dataLength, Map<String, String> metadata)
            throws IOException {
        JsonObject root;
        try {
            JsonElement tree = JsonParser.parseString(json);
            if (!tree.isJsonObject()) {
                throw new IOException(file + ": the safetensors header is not a JSON object");
            }
            root = tree.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new IOException(
                    file + ": the safetensors header is not valid JSON: " + e.getMessage(), e);
        }
        Map<String, Safetensors.Entry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : root.entrySet()) {
            String name = e.getKey();
            if ("__metadata__".equals(name)) {
                for (Map.Entry<String, JsonElement> m : e.getValue().getAsJsonObject().entrySet()) {
                    metadata.put(m.getKey(), m.getValue().getAsString());
                }
                continue;
            }
            try {
                JsonObject o = e.getValue().getAsJsonObject();
                String dtype = o.get("dtype").getAsString();
                JsonArray shapeJson = o.getAsJsonArray("shape");
                long[] shape = new long[shapeJson.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shapeJson.get(i).getAsLong();
                }
                JsonArray offsets = o.getAsJsonArray("data_offsets");
                Safetensors.Entry entry =
                        new Safetensors.Entry(
                                name,
                                dtype,
                                shape,
                                offsets.get(0).getAsLong(),
                                offsets.get(1).getAsLong());
                int width = bytesPerElement(file, entry);
                if (entry.begin() < 0
                        || entry.end() < entry.begin()
                        || entry.end() - entry.begin() != entry.size() * width) {
                    throw new IOException(
                            file
                                    + ": tensor '"
                                    + name
                                    + "' has inconsistent offsets "
                                    + entry.begin()
                                    + ".."
                                    + entry.end()
                                    + " for "
                                    + dtype
                                    + Arrays.toString(shape));
                }
                if (entry.end() > dataLength) {
                    throw new IOException(
                            file
                                    + " is truncated: tensor '"
                                    + name
                                    + "' ends at data byte "
                                    + entry.end()
                                    + " but the file holds only "
                                    + dataLength
                                    + " data bytes; re-download or re-export it");
                }
                entries.put(name, entry);
            } catch (RuntimeException ex) {
                throw new IOException(
                        file + ": malformed safetensors entry '" + name + "': " + ex, ex);
            }
        }
        requireDisjoint(file, entries.values());
        return Collections.unmodifiableMap(entries);
    }

    /**
     * Refuses tensors whose byte ranges overlap: a writer never produces them, and two parameters
     * read from the same bytes would silently share values (the format's own loader refuses them
     * too).
     */
    private static void requireDisjoint(Path file, Collection<Safetensors.Entry> entries)
            throws IOException {
        List<Safetensors.Entry> byStart = new ArrayList<>(entries);
        byStart.sort(Comparator.comparingLong(Safetensors.Entry::begin));
        for (int i = 1; i < byStart.size(); i++) {
            Safetensors.Entry before = byStart.get(i - 1);
            Safetensors.Entry after = byStart.get(i);
            if (after.begin() < before.end()) {
                throw new IOException(
                        file
                                + ": tensors '"
                                + before.name()
                                + "' (bytes "
                                + before.begin()
                                + ".."
                                + before.end()
                                + ") and '"
                                + after.name()
                                + "' (bytes "
                                + after.begin()
                                + ".."
                                + after.end()
                                + ") overlap; the file is damaged or was not written by a safetensors writer");
            }
        }
    }

    private static int bytesPerElement(Path file, Safetensors.Entry e) throws IOException {
        switch (e.dtype()) {
            case "F64":
            case "I64":
                return 8;
            case "F32":
            case "I32":
                return 4;
            case "F16":
            case "BF16":
            case "I16":
                return 2;
            case "U8":
            case "I8":
            case "BOOL":
                return 1;
            default:
                throw new IOException(
                        file + ": tensor '" + e.name() + "' has unsupported dtype " + e.dtype());
        }
    }
}
