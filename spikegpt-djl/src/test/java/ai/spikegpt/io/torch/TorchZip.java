package ai.spikegpt.io.torch;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes {@code torch.save}-format archives for tests: a state dict of float32 tensors (one storage
 * each, as PyTorch writes them), or any pickle and entries, to craft damaged and hostile files.
 */
final class TorchZip {

    /** One tensor: a view of a float32 storage. */
    record Tensor(String key, long storageSize, long offset, long[] shape, long[] stride) {}

    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final Map<String, byte[]> entries = new LinkedHashMap<>();

    /** Adds a contiguous float32 tensor with its own storage. */
    TorchZip add(String name, long[] shape, float[] values) {
        String key = Integer.toString(entries.size());
        long[] stride = new long[shape.length];
        long s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            stride[d] = s;
            s *= shape[d];
        }
        storage(key, values);
        return view(name, new Tensor(key, values.length, 0, shape, stride));
    }

    /** Adds a float32 storage {@code data/<key>}. */
    TorchZip storage(String key, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        entries.put("data/" + key, b.array());
        return this;
    }

    /** Adds a tensor that views an existing storage. */
    TorchZip view(String name, Tensor t) {
        tensors.put(name, t);
        return this;
    }

    /** Replaces or adds a raw archive entry (relative to the archive's folder). */
    TorchZip entry(String name, byte[] content) {
        entries.put(name, content);
        return this;
    }

    /** The pickle of the state dict, written the way torch.save writes it (protocol 2). */
    byte[] stateDictPickle() {
        PickleBytes p = new PickleBytes().proto(2).op('}').op('(');
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            p.string(e.getKey()).global("torch._utils", "_rebuild_tensor_v2").op('(');
            p.op('(')
                    .string("storage")
                    .global("torch", "FloatStorage")
                    .string(t.key())
                    .string("cpu")
                    .integer(t.storageSize())
                    .op('t')
                    .op('Q');
            p.integer(t.offset()).tuple(t.shape()).tuple(t.stride()).op(0x89);
            p.global("collections", "OrderedDict").op(')').op('R');
            p.op('t').op('R');
        }
        return p.op('u').op('.').bytes();
    }

    /** Writes the archive with the state-dict pickle. */
    Path write(Path file) throws IOException {
        return write(file, stateDictPickle());
    }

    /** Writes the archive with the given pickle as data.pkl. */
    Path write(Path file, byte[] pickle) throws IOException {
        String folder = file.getFileName().toString().replaceAll("\\..*$", "");
        try (OutputStream os = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(os)) {
            put(zip, folder + "/data.pkl", pickle);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                put(zip, folder + "/" + e.getKey(), e.getValue());
            }
            put(
                    zip,
                    folder + "/version",
                    "3\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        return file;
    }

    /** Stored (uncompressed) entries, as torch.save writes them. */
    private static void put(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(content);
        zip.closeEntry();
    }
}
