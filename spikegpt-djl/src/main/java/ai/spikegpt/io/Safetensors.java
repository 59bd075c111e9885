package ai.spikegpt.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.spikegpt.files.AtomicFiles;
import ai.spikegpt.nn.Tensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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

    static Map<String, Shape> shapes(Map<String, Entry> entries) {
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
     * Opens and validates a safetensors file (memory-mapped, read-only). Reading a mapped file
     * makes its pages part of the process's resident memory until the mapping is collected; {@link
     * SafetensorsReader} reads without a mapping.
     *
     * @param file the file
     * @return the opened file
     * @throws IOException if the file cannot be read or is not a valid safetensors file
     */
    public static Safetensors open(Path file) throws IOException {
        try (FileChannel channel = SafetensorsHeader.openChannel(file)) {
            SafetensorsHeader header = SafetensorsHeader.read(file, channel);
            ByteBuffer data =
                    channel.map(
                                    FileChannel.MapMode.READ_ONLY,
                                    header.dataStart(),
                                    header.dataLength())
                            .order(ByteOrder.LITTLE_ENDIAN);
            return new Safetensors(file, header.entries(), header.metadata(), data);
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
