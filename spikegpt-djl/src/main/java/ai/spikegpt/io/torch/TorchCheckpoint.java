package ai.spikegpt.io.torch;

import ai.djl.ndarray.types.Shape;
import ai.spikegpt.io.FloatCodec;
import ai.spikegpt.io.TensorFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A PyTorch {@code torch.save} checkpoint of a state dict, the format in which the original
 * SpikeGPT released its models: a zip archive with {@code <name>/data.pkl} (the pickled dictionary
 * of tensors) and one entry {@code <name>/data/<key>} of raw bytes per storage (PyTorch 1.6 and
 * later). Tensors can be float32, float16, bfloat16 or float64; they are converted to float32 in
 * Java when read.
 *
 * <p>The pickle is read by a restricted unpickler ({@link TorchUnpickler}): an untrusted file is
 * data, and a pickle that asks for anything a state dict does not need is refused with an {@link
 * UnsafeCheckpointException}. Opening checks that every tensor's storage is present, complete and
 * large enough for its view, so a truncated download fails here with the tensor named, not later.
 * Values are read from the archive only when asked for, one storage at a time.
 */
public final class TorchCheckpoint extends TensorFile<TorchTensor> {

    private static final long MAX_PICKLE = 64L << 20;

    private final String prefix;
    private final ByteOrder order;

    private static Map<String, Shape> shapes(Map<String, TorchTensor> tensors) {
        Map<String, Shape> s = new LinkedHashMap<>();
        tensors.forEach((name, t) -> s.put(name, new Shape(t.shape())));
        return s;
    }

    private TorchCheckpoint(
            Path file, String prefix, ByteOrder order, Map<String, TorchTensor> tensors) {
        super(file, tensors, shapes(tensors));
        this.prefix = prefix;
        this.order = order;
    }

    /**
     * Returns whether a file starts like a zip archive (a {@code torch.save} checkpoint of PyTorch
     * 1.6 or later).
     *
     * @param file the file
     * @return whether it has the zip signature
     * @throws IOException if it cannot be read
     */
    public static boolean isZip(Path file) throws IOException {
        byte[] head = head(file, 4);
        return head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }

    /**
     * Opens and validates a checkpoint.
     *
     * @param file the {@code .pth} / {@code .pt} / {@code .bin} file
     * @return the checkpoint
     * @throws UnsafeCheckpointException if its pickle references anything a state dict does not
     *     need
     * @throws IOException if it is not a readable {@code torch.save} state dict, saying why and
     *     what to do
     */
    public static TorchCheckpoint open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such checkpoint file: " + file);
        }
        if (!isZip(file)) {
            byte[] head = head(file, 2);
            if (head.length > 0 && (head[0] & 0xff) == 0x80) {
                throw new IOException(
                        file
                                + " is a legacy (pre-1.6, non-zip) torch.save file, which this importer does not read."
                                + " Re-save it with a newer PyTorch, loading only tensors (weights_only=True: a plain"
                                + " torch.load runs any code the file carries): python -c \"import torch; torch.save("
                                + "torch.load('"
                                + file.getFileName()
                                + "', map_location='cpu', weights_only=True),"
                                + " 'resaved.pth')\"");
            }
            throw new IOException(
                    file
                            + " is not a torch.save checkpoint (no zip signature): expected a .pth state dict or a"
                            + " .safetensors file");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String prefix = findPrefix(zip, file);
            ByteOrder order = byteOrder(zip, prefix, file);
            ZipEntry pickleEntry = zip.getEntry(prefix + "data.pkl");
            if (pickleEntry.getSize() > MAX_PICKLE) {
                throw new IOException(
                        file
                                + ": data.pkl is "
                                + pickleEntry.getSize()
                                + " bytes, far more than a state dict needs");
            }
            byte[] pickle;
            try (InputStream in = zip.getInputStream(pickleEntry)) {
                pickle = in.readNBytes((int) MAX_PICKLE + 1);
            }
            Object root = new TorchUnpickler(file.toString()).read(pickle);
            Map<String, TorchTensor> tensors = stateDict(root, file);
            for (Map.Entry<String, TorchTensor> t : tensors.entrySet()) {
                check(zip, prefix, t.getKey(), t.getValue(), file);
            }
            return new TorchCheckpoint(file, prefix, order, Collections.unmodifiableMap(tensors));
        } catch (ZipException e) {
            throw new IOException(
                    file
                            + " is truncated or damaged (not a readable zip archive: "
                            + e.getMessage()
                            + "); re-download it",
                    e);
        }
    }

    private static byte[] head(Path file, int n) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        }
    }

    /** Finds {@code <name>/} of {@code <name>/data.pkl}. */
    private static String findPrefix(ZipFile zip, Path file) throws IOException {
        List<String> found = new ArrayList<>();
        boolean torchScript = false;
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
            String name = e.nextElement().getName();
            int slash = name.indexOf('/');
            String rest = slash < 0 ? name : name.substring(slash + 1);
            if ("data.pkl".equals(rest)) {
                found.add(name.substring(0, slash + 1));
            } else if ("constants.pkl".equals(rest) || rest.startsWith("code/")) {
                torchScript = true;
            }
        }
        if (torchScript) {
            throw new IOException(
                    file
                            + " is a TorchScript archive (torch.jit.save), not a state dict: in Python, save"
                            + " model.state_dict() with torch.save");
        }
        if (found.size() != 1) {
            throw new IOException(
                    file
                            + " is a zip archive but not a torch.save checkpoint: expected one <name>/data.pkl, found "
                            + found.size());
        }
        return found.get(0);
    }

    private static ByteOrder byteOrder(ZipFile zip, String prefix, Path file) throws IOException {
        ZipEntry entry = zip.getEntry(prefix + "byteorder");
        if (entry == null) {
            return ByteOrder
                    .LITTLE_ENDIAN; // written by PyTorch before 2.1: always little-endian hosts
        }
        String text;
        try (InputStream in = zip.getInputStream(entry)) {
            text = new String(in.readNBytes(16), StandardCharsets.US_ASCII).trim();
        }
        switch (text) {
            case "little":
                return ByteOrder.LITTLE_ENDIAN;
            case "big":
                return ByteOrder.BIG_ENDIAN;
            default:
                throw new IOException(file + ": unknown byteorder '" + text + "'");
        }
    }

    /** The root must be a dictionary of tensors (the state dict). */
    private static Map<String, TorchTensor> stateDict(Object root, Path file) throws IOException {
        if (!(root instanceof Map)) {
            throw new IOException(
                    file
                            + " holds "
                            + describe(root)
                            + ", not a state dict (a dictionary of tensors): in Python,"
                            + " save model.state_dict()");
        }
        Map<String, TorchTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) root).entrySet()) {
            if (!(e.getKey() instanceof String)) {
                throw new IOException(file + ": the state dict has a non-string key " + e.getKey());
            }
            String name = (String) e.getKey();
            if (!(e.getValue() instanceof TorchTensor)) {
                String hint =
                        e.getValue() instanceof Map
                                ? " (is the state dict nested under '"
                                        + name
                                        + "'? save"
                                        + " that dictionary alone)"
                                : "";
                throw new IOException(
                        file
                                + ": '"
                                + name
                                + "' is not a tensor but "
                                + describe(e.getValue())
                                + hint
                                + "; the file must hold only model.state_dict()");
            }
            tensors.put(name, (TorchTensor) e.getValue());
        }
        return tensors;
    }

    /** Names an unpickled value the way Python would. */
    private static String describe(Object o) {
        if (o instanceof Map) {
            return "a dictionary with keys " + abbreviate(((Map<?, ?>) o).keySet().toString());
        } else if (o instanceof Number && !(o instanceof Double)) {
            return "the int " + o;
        } else if (o instanceof Double) {
            return "the float " + o;
        } else if (o instanceof String) {
            return "a string";
        } else if (o instanceof Boolean) {
            return "the bool " + o;
        } else if (o instanceof List) {
            return "a list";
        } else if (o instanceof Object[]) {
            return "a tuple";
        }
        return o == null ? "None" : "a " + o.getClass().getSimpleName();
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "...]" : s;
    }

    /** Checks that a tensor's storage exists with all its bytes and holds the whole view. */
    private static void check(ZipFile zip, String prefix, String name, TorchTensor t, Path file)
            throws IOException {
        TorchTensor.Storage s = t.storage();
        ZipEntry entry = zip.getEntry(prefix + "data/" + s.key());
        if (entry == null) {
            throw new IOException(
                    file
                            + " is damaged: tensor '"
                            + name
                            + "' needs storage data/"
                            + s.key()
                            + ", which is missing");
        }
        long expected = Math.multiplyExact(s.numel(), (long) s.type().width());
        if (entry.getSize() != expected) {
            throw new IOException(
                    file
                            + " is truncated or damaged: tensor '"
                            + name
                            + "' needs "
                            + expected
                            + " bytes in data/"
                            + s.key()
                            + " ("
                            + s.numel()
                            + " x "
                            + s.type().dtype()
                            + ") but the archive holds "
                            + entry.getSize()
                            + "; re-download it");
        }
        long size;
        try {
            size = t.size();
            if (t.end() > s.numel()) {
                throw new IOException(
                        file
                                + " is damaged: tensor '"
                                + name
                                + "' "
                                + t
                                + " reaches element "
                                + (t.end() - 1)
                                + " of a storage of "
                                + s.numel());
            }
        } catch (ArithmeticException e) {
            throw new IOException(
                    file + " is damaged: tensor '" + name + "' has an impossible shape " + t, e);
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IOException(
                    file
                            + ": tensor '"
                            + name
                            + "' has "
                            + size
                            + " elements, more than one Java array holds");
        }
    }

    @Override
    public String dtype(String name) {
        return tensor(name).storage().type().dtype();
    }

    @Override
    protected void decode(TorchTensor t, String dtype, float[] out) {
        if (t.contiguous()) {
            FloatCodec.decode(read(t.storage(), t.offset(), out.length), dtype, out);
            return;
        }
        long span = t.end() - t.offset();
        float[] storage = new float[Math.toIntExact(span)];
        FloatCodec.decode(read(t.storage(), t.offset(), span), dtype, storage);
        gather(storage, t, out);
    }

    /** Copies a strided view (relative to its offset) into row-major order. */
    private static void gather(float[] storage, TorchTensor t, float[] out) {
        long[] shape = t.shape();
        long[] stride = t.stride();
        int[] index = new int[shape.length];
        long position = 0;
        for (int i = 0; i < out.length; i++) {
            out[i] = storage[(int) position];
            for (int d = shape.length - 1; d >= 0; d--) {
                index[d]++;
                position += stride[d];
                if (index[d] < shape[d]) {
                    break;
                }
                position -= stride[d] * shape[d];
                index[d] = 0;
            }
        }
    }

    /** Reads {@code count} elements of a storage from element {@code first}. */
    private ByteBuffer read(TorchTensor.Storage storage, long first, long count) {
        int width = storage.type().width();
        try (ZipFile zip = new ZipFile(file().toFile());
                InputStream in =
                        zip.getInputStream(zip.getEntry(prefix + "data/" + storage.key()))) {
            in.skipNBytes(first * width);
            byte[] bytes = in.readNBytes(Math.toIntExact(count * width));
            if (bytes.length != count * width) {
                throw new IOException("data/" + storage.key() + " ended early");
            }
            return ByteBuffer.wrap(bytes).order(order);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(
                    file()
                            + " could not be read (changed or damaged since it was opened?): "
                            + e.getMessage(),
                    e);
        }
    }
}
