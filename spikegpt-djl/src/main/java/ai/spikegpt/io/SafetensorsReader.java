package ai.spikegpt.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads the tensors of a safetensors file as float32 arrays with positional reads, without mapping
 * the file and without an NDManager: for the pure-Java engine, which keeps its weights in Java
 * arrays and never loads the native engine.
 *
 * <p>Why not {@link Safetensors}: it maps the file, and every page of a mapping that has been read
 * stays in the process's resident memory until the mapping is garbage-collected, so loading a model
 * through it costs the file's size in peak RSS on top of the arrays. Here a tensor is read 1 MiB at
 * a time into one reusable buffer and decoded ({@link FloatCodec}: F32, F16, BF16, F64 as stored)
 * straight into the array that is returned; nothing else stays behind. The header is validated
 * exactly as {@link Safetensors#open} validates it. Close the reader when done.
 */
public final class SafetensorsReader extends TensorFile<Safetensors.Entry>
        implements AutoCloseable {

    /** Bytes read a call: a multiple of every element width. */
    private static final int CHUNK = 1 << 20;

    private final int chunk;
    private final FileChannel channel;
    private final Map<String, String> metadata;
    private final long dataStart;
    private ByteBuffer buffer;

    private SafetensorsReader(Path file, FileChannel channel, SafetensorsHeader header, int chunk) {
        super(file, header.entries(), Safetensors.shapes(header.entries()));
        this.chunk = chunk;
        this.channel = channel;
        this.metadata = header.metadata();
        this.dataStart = header.dataStart();
    }

    /**
     * Opens a safetensors file and validates its header.
     *
     * @param file the file
     * @return the reader (close it)
     * @throws IOException if the file cannot be read or is not a valid safetensors file
     */
    public static SafetensorsReader open(Path file) throws IOException {
        return open(file, CHUNK);
    }

    /**
     * Opens a file with another read size (tests cross chunk boundaries with a small one).
     *
     * @param file the file
     * @param chunk bytes read a call, a multiple of 8 (every element width divides it)
     * @return the reader (close it)
     * @throws IOException if the file cannot be read or is not a valid safetensors file
     */
    static SafetensorsReader open(Path file, int chunk) throws IOException {
        if (chunk <= 0 || chunk % 8 != 0) {
            throw new IllegalArgumentException("the read size must be a multiple of 8: " + chunk);
        }
        FileChannel channel = SafetensorsHeader.openChannel(file);
        try {
            return new SafetensorsReader(
                    file, channel, SafetensorsHeader.read(file, channel), chunk);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public String dtype(String name) {
        return tensor(name).dtype();
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    protected void decode(Safetensors.Entry e, String dtype, float[] out) {
        int width = FloatCodec.width(dtype);
        int perChunk = chunk / width;
        if (buffer == null) {
            buffer = ByteBuffer.allocateDirect(chunk).order(ByteOrder.LITTLE_ENDIAN);
        }
        for (int from = 0; from < out.length; from += perChunk) {
            int count = Math.min(perChunk, out.length - from);
            buffer.clear().limit(count * width);
            try {
                SafetensorsHeader.readFully(
                        channel, buffer, dataStart + e.begin() + (long) from * width);
            } catch (IOException ex) {
                throw new UncheckedIOException(
                        file() + ": cannot read tensor '" + e.name() + "': " + ex.getMessage(), ex);
            }
            FloatCodec.decode(buffer, dtype, out, from, count);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
