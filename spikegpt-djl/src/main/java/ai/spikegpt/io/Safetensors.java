package ai.spikegpt.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.spikegpt.files.AtomicFiles;
import ai.spikegpt.nn.Tensors;
import com.google.gson.Gson;
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
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length N, N bytes of JSON
 * ({@code {"name": {"dtype", "shape", "data_offsets"}, "__metadata__": {...}}}), then the raw
 * little-endian data.
 *
 * <p>Why not {@code NDList.decode}: DJL's codec drops {@code __metadata__} (where the model's
 * configuration lives), aborts the JVM on BF16 data, and does not check a damaged file. This one
 * keeps the metadata, converts BF16 and F16 to float32 in Java, and reports a truncated or
 * inconsistent file with the tensor and the byte counts involved.
 */
public final class Safetensors extends TensorFile<Safetensors.Entry> {

    private static final long MAX_HEADER = 100L << 20;
    private static final Gson GSON = new Gson();

    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;
    private final ByteBuffer data;

    /** One tensor's header entry. */
    public record Entry(String name, String dtype, long[] shape, long begin, long end) {
        /**
         * @return the number of elements
         */
        public long size() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        /**
         * @return the shape as a DJL shape
         */
        public Shape djlShape() {
            return new Shape(shape);
        }
    }

    private static Map<String, Shape> shapes(Map<String, Entry> entries) {
        Map<String, Shape> s = new LinkedHashMap<>();
        entries.forEach((name, e) -> s.put(name, e.djlShape()));
        return s;
    }

    private Safetensors(
            Path file, Map<String, Entry> entries, Map<String, String> metadata, ByteBuffer data) {
        super(file, entries, shapes(entries));
        this.entries = entries;
        this.metadata = metadata;
        this.data = data;
    }

    /**
     * Opens and validates a safetensors file (memory-mapped, read-only).
     *
     * @param file the file
     * @return the opened file
     * @throws IOException if the file cannot be read or is not a valid safetensors file
     */
    public static Safetensors open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such safetensors file: " + file);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
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
            Map<String, Entry> entries = parseHeader(file, json, dataLength, metadata);
            ByteBuffer data =
                    channel.map(FileChannel.MapMode.READ_ONLY, 8 + headerLength, dataLength)
                            .order(ByteOrder.LITTLE_ENDIAN);
            return new Safetensors(file, entries, metadata, data);
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
            throws IOException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private static Map<String, Entry> parseHeader(
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
        Map<String, Entry> entries = new LinkedHashMap<>();
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
                Entry entry =
                        new Entry(
                                name,
                                dtype,
                                shape,
                                offsets.get(0).getAsLong(),
                                offsets.get(1).getAsLong());
                int width = bytesPerElement(file, entry);
                if (entry.begin < 0
                        || entry.end < entry.begin
                        || entry.end - entry.begin != entry.size() * width) {
                    throw new IOException(
                            file
                                    + ": tensor '"
                                    + name
                                    + "' has inconsistent offsets "
                                    + entry.begin
                                    + ".."
                                    + entry.end
                                    + " for "
                                    + dtype
                                    + java.util.Arrays.toString(shape));
                }
                if (entry.end > dataLength) {
                    throw new IOException(
                            file
                                    + " is truncated: tensor '"
                                    + name
                                    + "' ends at data byte "
                                    + entry.end
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
    private static void requireDisjoint(Path file, Collection<Entry> entries) throws IOException {
        List<Entry> byStart = new ArrayList<>(entries);
        byStart.sort(Comparator.comparingLong(Entry::begin));
        for (int i = 1; i < byStart.size(); i++) {
            Entry before = byStart.get(i - 1);
            Entry after = byStart.get(i);
            if (after.begin < before.end) {
                throw new IOException(
                        file
                                + ": tensors '"
                                + before.name
                                + "' (bytes "
                                + before.begin
                                + ".."
                                + before.end
                                + ") and '"
                                + after.name
                                + "' (bytes "
                                + after.begin
                                + ".."
                                + after.end
                                + ") overlap; the file is damaged or was not written by a safetensors writer");
            }
        }
    }

    private static int bytesPerElement(Path file, Entry e) throws IOException {
        switch (e.dtype) {
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
                        file + ": tensor '" + e.name + "' has unsupported dtype " + e.dtype);
        }
    }

    /**
     * @return the tensor entries by name, in file order
     */
    public Map<String, Entry> entries() {
        return entries;
    }

    /**
     * @return the {@code __metadata__} strings
     */
    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public String dtype(String name) {
        return entry(name).dtype();
    }

    @Override
    protected void decode(Entry e, String dtype, float[] out) {
        FloatCodec.decode(slice(e), dtype, out);
    }

    /**
     * Reads an integer tensor as longs (I64, I32, I16, I8, U8, BOOL).
     *
     * @param name the tensor name
     * @return the values, row-major
     */
    public long[] longs(String name) {
        Entry e = entry(name);
        int n = Math.toIntExact(e.size());
        long[] out = new long[n];
        ByteBuffer b = slice(e);
        for (int i = 0; i < n; i++) {
            switch (e.dtype) {
                case "I64":
                    out[i] = b.getLong(8 * i);
                    break;
                case "I32":
                    out[i] = b.getInt(4 * i);
                    break;
                case "I16":
                    out[i] = b.getShort(2 * i);
                    break;
                case "I8":
                    out[i] = b.get(i);
                    break;
                case "U8":
                case "BOOL":
                    out[i] = b.get(i) & 0xff;
                    break;
                default:
                    throw new IllegalArgumentException(
                            file()
                                    + ": tensor '"
                                    + name
                                    + "' is "
                                    + e.dtype
                                    + ", expected an integer type");
            }
        }
        return out;
    }

    /**
     * Reads a floating-point tensor as a float32 NDArray (native-owned).
     *
     * @param manager the manager
     * @param name the tensor name
     * @return the array
     */
    public NDArray floatArray(NDManager manager, String name) {
        return Tensors.fromJava(manager, floats(name), entry(name).djlShape());
    }

    /**
     * Reads an integer tensor as an int64 NDArray.
     *
     * @param manager the manager
     * @param name the tensor name
     * @return the array
     */
    public NDArray longArray(NDManager manager, String name) {
        try (NDArray a = manager.create(longs(name), entry(name).djlShape())) {
            return a.duplicate();
        }
    }

    /**
     * Returns a tensor's entry.
     *
     * @param name the tensor name
     * @return its entry
     * @throws IllegalArgumentException naming the file if there is no such tensor
     */
    public Entry entry(String name) {
        return tensor(name);
    }

    private ByteBuffer slice(Entry e) {
        ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        b.position((int) e.begin).limit((int) e.end);
        return b.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Writes float32 arrays (stored as F32 or F16) and metadata to a safetensors file, atomically
     * ({@link AtomicFiles}): a failed or killed write leaves an existing file as it was.
     *
     * @param file the file to write
     * @param tensors name to array, written in this order
     * @param metadata the {@code __metadata__} strings
     * @param storage {@link DataType#FLOAT32} or {@link DataType#FLOAT16}
     * @throws IOException if the file cannot be written
     * @see SafetensorsWriter
     */
    public static void write(
            Path file, Map<String, NDArray> tensors, Map<String, String> metadata, DataType storage)
            throws IOException {
        SafetensorsWriter.write(file, tensors, metadata, storage);
    }
}
