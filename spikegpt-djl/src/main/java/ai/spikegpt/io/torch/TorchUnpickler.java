package ai.spikegpt.io.torch;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * Reads the {@code data.pkl} of a {@code torch.save} archive as data, never as code.
 *
 * <p>A pickle can name any Python global and call it ({@code os.system} with a shell command is the
 * classic attack on {@code .pth} files). Razorvine's unpickler never runs Python, but it would
 * still turn any unknown global into a dictionary object and let the stream build arbitrary
 * objects; and its constructor registry is JVM-wide. This subclass therefore resolves every global
 * itself against a fixed allow-list, private to this reader:
 *
 * <ul>
 *   <li>{@code collections.OrderedDict}: the state dict itself;
 *   <li>{@code torch._utils._rebuild_tensor_v2} (and {@code _rebuild_parameter}, which only wraps a
 *       tensor): a view of a storage;
 *   <li>{@code torch.FloatStorage}, {@code HalfStorage}, {@code BFloat16Storage}, ... : the element
 *       type inside a persistent id, which {@link #persistentLoad} turns into a lazy storage.
 * </ul>
 *
 * Any other global, and the opcodes that build objects from inline class names ({@code INST},
 * {@code OBJ}), fail with an {@link UnsafeCheckpointException} naming what was asked for. {@code
 * BUILD} (setting attributes) is accepted only on the dictionary, where PyTorch stores its {@code
 * _metadata} version table, and is ignored there. Length-prefixed strings are checked against the
 * bytes that remain, so a damaged or hostile length cannot allocate gigabytes.
 */
final class TorchUnpickler extends Unpickler {

    /** What a state dict may reference, for messages. */
    static final String ALLOWED =
            "collections.OrderedDict, torch._utils._rebuild_tensor_v2, torch._utils._rebuild_parameter and the"
                    + " torch.*Storage types";

    private static final Pattern STORAGE_KEY = Pattern.compile("[A-Za-z0-9_.]{1,64}");

    private static final IObjectConstructor ORDERED_DICT = TorchUnpickler::orderedDict;
    private static final IObjectConstructor REBUILD_TENSOR = TorchUnpickler::rebuildTensor;
    private static final IObjectConstructor REBUILD_PARAMETER = TorchUnpickler::rebuildParameter;

    private final String origin;
    private final Map<String, TorchTensor.Storage> storages = new HashMap<>();

    /**
     * @param origin the archive, for messages
     */
    TorchUnpickler(String origin) {
        this.origin = origin;
    }

    /**
     * Unpickles a {@code data.pkl}.
     *
     * @param pickle the pickle bytes
     * @return the root object: maps, lists, strings, numbers and {@link TorchTensor}s
     * @throws UnsafeCheckpointException if the pickle asks for anything outside the allow-list
     * @throws IOException if the pickle is damaged
     */
    Object read(byte[] pickle) throws IOException {
        try {
            return load(new ByteArrayInputStream(pickle));
        } catch (UnsafeCheckpointException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new IOException(
                    origin
                            + " is damaged: its data.pkl cannot be read ("
                            + e.getMessage()
                            + "); re-download the checkpoint or save it again",
                    e);
        } finally {
            close();
        }
    }

    @Override
    protected Object dispatch(short key) throws IOException {
        switch (key) {
            case Opcodes.GLOBAL:
                {
                    String module = PickleUtils.readline(input);
                    String name = PickleUtils.readline(input);
                    stack.add(resolve(module, name));
                    return NO_RETURN_VALUE;
                }
            case Opcodes.STACK_GLOBAL:
                {
                    Object name = stack.pop();
                    Object module = stack.pop();
                    stack.add(resolve(String.valueOf(module), String.valueOf(name)));
                    return NO_RETURN_VALUE;
                }
            case Opcodes.INST:
                throw forbidden(PickleUtils.readline(input), PickleUtils.readline(input));
            case Opcodes.OBJ:
                throw new UnsafeCheckpointException(
                        origin
                                + ": refusing to load: its pickle builds an object with the OBJ opcode, which a state"
                                + " dict never does. Nothing from the file was executed.",
                        null);
            case Opcodes.BUILD:
                build();
                return NO_RETURN_VALUE;
            case Opcodes.EMPTY_DICT:
                stack.add(new LinkedHashMap<>()); // Python dicts keep their order
                return NO_RETURN_VALUE;
            case Opcodes.SETITEMS:
                setItems();
                return NO_RETURN_VALUE;
            case Opcodes.BINSTRING:
            case Opcodes.BINUNICODE:
            case Opcodes.BINBYTES:
            case Opcodes.LONG4:
                checkLength(4);
                break;
            case Opcodes.BINUNICODE8:
            case Opcodes.BINBYTES8:
            case Opcodes.BYTEARRAY8:
                checkLength(8);
                break;
            default:
                break;
        }
        return super.dispatch(key);
    }

    private IObjectConstructor resolve(String module, String name)
            throws UnsafeCheckpointException {
        if ("collections".equals(module) && "OrderedDict".equals(name)) {
            return ORDERED_DICT;
        }
        if ("torch._utils".equals(module) && "_rebuild_tensor_v2".equals(name)) {
            return REBUILD_TENSOR;
        }
        if ("torch._utils".equals(module) && "_rebuild_parameter".equals(name)) {
            return REBUILD_PARAMETER;
        }
        if ("torch".equals(module)) {
            TorchStorageType type = TorchStorageType.of(name);
            if (type != null) {
                return type;
            }
        }
        throw forbidden(module, name);
    }

    private UnsafeCheckpointException forbidden(String module, String name) {
        String global = module + "." + name;
        return new UnsafeCheckpointException(
                origin
                        + ": refusing to load: its pickle references the global '"
                        + module
                        + " "
                        + name
                        + "' ("
                        + global
                        + "), which a state dict never needs; only "
                        + ALLOWED
                        + " are allowed. Nothing"
                        + " from the file was executed. If you trust the file, load it in Python and save"
                        + " model.state_dict() (or safetensors) again.",
                global);
    }

    /**
     * BUILD sets attributes: accepted only on a dictionary (PyTorch's {@code _metadata}), ignored.
     */
    private void build() {
        Object state = stack.pop();
        Object target = stack.peek();
        if (!(target instanceof Map) || !(state instanceof Map || state instanceof Object[])) {
            throw new PickleException(
                    "BUILD of "
                            + typeName(target)
                            + " with "
                            + typeName(state)
                            + " is not part of a state dict");
        }
    }

    /** SETITEMS, keeping the pairs' order (the base class collects them in a HashMap first). */
    @SuppressWarnings("unchecked")
    private void setItems() {
        List<Object> items = stack.pop_all_since_marker();
        if (items.size() % 2 != 0) {
            throw new PickleException("SETITEMS with an odd number of items");
        }
        Map<Object, Object> dict = (Map<Object, Object>) stack.peek();
        for (int i = 0; i < items.size(); i += 2) {
            dict.put(items.get(i), items.get(i + 1));
        }
    }

    /** Refuses a length-prefixed value longer than the rest of the pickle. */
    private void checkLength(int lengthBytes) throws IOException {
        input.mark(lengthBytes);
        byte[] b = PickleUtils.readbytes(input, lengthBytes);
        input.reset();
        long length = 0;
        for (int i = lengthBytes - 1; i >= 0; i--) {
            length = (length << 8) | (b[i] & 0xff);
        }
        long remaining = input.available() - (long) lengthBytes;
        if (length < 0 || length > remaining) {
            throw new IOException(
                    "a value of "
                            + Long.toUnsignedString(length)
                            + " bytes is announced but only "
                            + remaining
                            + " bytes remain (truncated)");
        }
    }

    @Override
    protected Object persistentLoad(Object pid) {
        if (!(pid instanceof Object[])
                || ((Object[]) pid).length != 5
                || !"storage".equals(((Object[]) pid)[0])) {
            throw new PickleException(
                    "unexpected persistent id "
                            + typeName(pid)
                            + "; a state dict only has ('storage', type, key,"
                            + " location, numel)");
        }
        Object[] p = (Object[]) pid;
        if (!(p[1] instanceof TorchStorageType)
                || !(p[2] instanceof String)
                || !(p[3] instanceof String)) {
            throw new PickleException(
                    "malformed storage id: ("
                            + typeName(p[1])
                            + ", "
                            + typeName(p[2])
                            + ", "
                            + typeName(p[3])
                            + ")");
        }
        String key = (String) p[2];
        if (!STORAGE_KEY.matcher(key).matches()) {
            throw new PickleException("malformed storage key '" + key + "'");
        }
        TorchTensor.Storage storage =
                new TorchTensor.Storage(
                        (TorchStorageType) p[1], key, nonNegative(p[4], "storage size"));
        TorchTensor.Storage known = storages.putIfAbsent(key, storage);
        if (known != null && !known.equals(storage)) {
            throw new PickleException(
                    "storage " + key + " is declared twice, as " + known + " and " + storage);
        }
        return known != null ? known : storage;
    }

    private static Object orderedDict(Object[] args) {
        Map<Object, Object> dict = new LinkedHashMap<>();
        if (args.length == 1 && args[0] instanceof List) {
            for (Object pair : (List<?>) args[0]) {
                if (!(pair instanceof Object[]) || ((Object[]) pair).length != 2) {
                    throw new PickleException("OrderedDict expects (key, value) pairs");
                }
                dict.put(((Object[]) pair)[0], ((Object[]) pair)[1]);
            }
        } else if (args.length != 0) {
            throw new PickleException("OrderedDict called with " + args.length + " arguments");
        }
        return dict;
    }

    /**
     * {@code _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])}.
     */
    private static Object rebuildTensor(Object[] args) {
        if (args.length < 6 || args.length > 7 || !(args[0] instanceof TorchTensor.Storage)) {
            throw new PickleException("_rebuild_tensor_v2 called with unexpected arguments");
        }
        long[] shape = longs(args[2], "size");
        long[] stride = longs(args[3], "stride");
        if (shape.length != stride.length) {
            throw new PickleException(
                    "tensor size " + shape.length + "-d but stride " + stride.length + "-d");
        }
        return new TorchTensor(
                (TorchTensor.Storage) args[0],
                nonNegative(args[1], "storage offset"),
                shape,
                stride);
    }

    /** {@code _rebuild_parameter(data, requires_grad, hooks)}: a Parameter is its tensor here. */
    private static Object rebuildParameter(Object[] args) {
        if (args.length != 3 || !(args[0] instanceof TorchTensor)) {
            throw new PickleException("_rebuild_parameter called with unexpected arguments");
        }
        return args[0];
    }

    private static long[] longs(Object tuple, String what) {
        if (!(tuple instanceof Object[])) {
            throw new PickleException(
                    "tensor " + what + " is " + typeName(tuple) + ", expected a tuple");
        }
        Object[] items = (Object[]) tuple;
        long[] out = new long[items.length];
        for (int i = 0; i < items.length; i++) {
            out[i] = nonNegative(items[i], "tensor " + what);
        }
        return out;
    }

    private static long nonNegative(Object value, String what) {
        long v;
        if (value instanceof Integer || value instanceof Long) {
            v = ((Number) value).longValue();
        } else if (value instanceof BigInteger && ((BigInteger) value).bitLength() < 63) {
            v = ((BigInteger) value).longValue();
        } else {
            throw new PickleException(what + " is " + typeName(value) + ", expected an integer");
        }
        if (v < 0) {
            throw new PickleException(what + " is negative: " + v);
        }
        return v;
    }

    private static String typeName(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }
}
