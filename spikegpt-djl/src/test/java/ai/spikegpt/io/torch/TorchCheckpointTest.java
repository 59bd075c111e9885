package ai.spikegpt.io.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.spikegpt.ReferenceVectors;
import ai.spikegpt.TestSupport;
import ai.spikegpt.io.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading {@code torch.save} archives: values, views, and refusing unsafe or damaged files. */
class TorchCheckpointTest {

    @TempDir Path dir;

    static Path tinyCheckpoint(String precision) {
        return TestSupport.vectors().resolve("tiny/checkpoints/model-" + precision + ".pth");
    }

    @ParameterizedTest
    @ValueSource(strings = {"fp32", "fp16", "bf16"})
    void readsTheTinyCheckpointsAsTheirWeightsRounded(String precision) throws IOException {
        Safetensors weights = ReferenceVectors.load("tiny").weights;
        TorchCheckpoint checkpoint = TorchCheckpoint.open(tinyCheckpoint(precision));
        List<String> expectedNames = new ArrayList<>(weights.shapes().keySet());
        expectedNames.removeIf(n -> n.startsWith("classifier."));
        assertEquals(
                expectedNames,
                new ArrayList<>(checkpoint.shapes().keySet()),
                "names, in state_dict order");
        String dtype = precision.equals("fp32") ? "F32" : precision.equals("fp16") ? "F16" : "BF16";
        try (NDManager manager = NDManager.newBaseManager()) {
            for (String name : expectedNames) {
                assertEquals(weights.shapes().get(name), checkpoint.shapes().get(name), name);
                assertEquals(dtype, checkpoint.dtype(name), name);
                float[] exact = weights.floats(name);
                float[] expected;
                if (precision.equals("fp32")) {
                    expected = exact;
                } else if (precision.equals("fp16")) {
                    try (NDArray a =
                            manager.create(exact)) { // libtorch's rounding, as Tensor.half()
                        expected =
                                a.toType(DataType.FLOAT16, false)
                                        .toType(DataType.FLOAT32, false)
                                        .toFloatArray();
                    }
                } else {
                    expected = roundToBf16(exact);
                }
                assertArrayEquals(expected, checkpoint.floats(name), name + " (" + precision + ")");
            }
        }
        assertEquals(new Shape(1, 1, 32), checkpoint.shapes().get("blocks.1.ffn.time_mix_r"));
    }

    /** float32 to bfloat16, round to nearest even (PyTorch's conversion; no NaNs here). */
    static float[] roundToBf16(float[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            int bits = Float.floatToRawIntBits(values[i]);
            int rounded = bits + 0x7fff + ((bits >>> 16) & 1);
            out[i] = Float.intBitsToFloat(rounded & 0xffff0000);
        }
        return out;
    }

    @Test
    void readsViewsWithOffsetsAndStridesOfASharedStorage() throws IOException {
        float[] storage = {0, 1, 2, 3, 4, 5, 6, 7};
        Path file =
                new TorchZip()
                        .storage("0", storage)
                        .view(
                                "whole",
                                new TorchZip.Tensor(
                                        "0", 8, 0, new long[] {2, 4}, new long[] {4, 1}))
                        .view(
                                "transposed",
                                new TorchZip.Tensor(
                                        "0", 8, 0, new long[] {4, 2}, new long[] {1, 4}))
                        .view(
                                "tail",
                                new TorchZip.Tensor("0", 8, 5, new long[] {3}, new long[] {1}))
                        .view(
                                "everyOther",
                                new TorchZip.Tensor(
                                        "0", 8, 1, new long[] {2, 2}, new long[] {4, 2}))
                        .write(dir.resolve("views.pth"));
        TorchCheckpoint c = TorchCheckpoint.open(file);
        assertArrayEquals(storage, c.floats("whole"));
        assertArrayEquals(new float[] {0, 4, 1, 5, 2, 6, 3, 7}, c.floats("transposed"));
        assertArrayEquals(new float[] {5, 6, 7}, c.floats("tail"));
        assertArrayEquals(new float[] {1, 3, 5, 7}, c.floats("everyOther"));
        assertEquals(new Shape(4, 2), c.shapes().get("transposed"));
    }

    /** Pickles that would run a shell command or Python code if a real unpickler loaded them. */
    static byte[] hostilePickle(String kind, Path marker) {
        String command = "touch " + marker;
        switch (kind) {
            case "global": // os.system("touch marker")
                return new PickleBytes()
                        .proto(2)
                        .global("os", "system")
                        .op('(')
                        .string(command)
                        .op('t')
                        .op('R')
                        .op('.')
                        .bytes();
            case "stack_global": // protocol 4: builtins.eval("open(marker, 'w')")
                return new PickleBytes()
                        .proto(4)
                        .string("builtins")
                        .string("eval")
                        .op(0x93)
                        .op('(')
                        .string("open('" + marker + "', 'w')")
                        .op('t')
                        .op('R')
                        .op('.')
                        .bytes();
            case "inst": // protocol 0 INST: os.system(command)
                return new PickleBytes()
                        .op('(')
                        .string(command)
                        .op('i')
                        .raw("os\nsystem\n".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .op('.')
                        .bytes();
            case "nested": // a state dict whose tensor rebuild gets a posix.system call as its
                // hooks
                return new PickleBytes()
                        .proto(2)
                        .op('}')
                        .string("emb.weight")
                        .global("torch._utils", "_rebuild_tensor_v2")
                        .op('(')
                        .op('N')
                        .integer(0)
                        .tuple(1)
                        .tuple(1)
                        .op(0x89)
                        .global("posix", "system")
                        .op('(')
                        .string(command)
                        .op('t')
                        .op('R')
                        .op('t')
                        .op('R')
                        .op('s')
                        .op('.')
                        .bytes();
            default:
                throw new IllegalArgumentException(kind);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"global", "stack_global", "inst", "nested"})
    void refusesForeignGlobalsWithoutRunningAnything(String kind) throws IOException {
        Path marker = dir.resolve("marker-" + kind);
        Path file = new TorchZip().write(dir.resolve("evil.pth"), hostilePickle(kind, marker));
        UnsafeCheckpointException e =
                assertThrows(UnsafeCheckpointException.class, () -> TorchCheckpoint.open(file));
        String expected =
                kind.equals("stack_global")
                        ? "builtins eval"
                        : kind.equals("nested") ? "posix system" : "os system";
        assertTrue(e.getMessage().contains("'" + expected + "'"), e.getMessage());
        assertEquals(expected.replace(' ', '.'), e.getGlobal());
        assertTrue(e.getMessage().contains("Nothing from the file was executed"), e.getMessage());
        assertFalse(Files.exists(marker), "the payload ran");
        // the same through the import entry point
        assertThrows(
                UnsafeCheckpointException.class,
                () -> CheckpointImport.builder().setCheckpoint(file).build());
        assertFalse(Files.exists(marker), "the payload ran");
    }

    @Test
    void theHostilePicklesAreLiveInPython() throws Exception {
        // proves the test payloads are real: Python's own unpickler runs them (they only touch a
        // file)
        PythonReference python = PythonReference.require();
        for (String kind : new String[] {"global", "inst"}) {
            Path marker = dir.resolve("python-marker-" + kind);
            Path pickle = Files.write(dir.resolve(kind + ".pkl"), hostilePickle(kind, marker));
            python.runCode(
                    "import pickle, sys; pickle.loads(open(sys.argv[1], 'rb').read())",
                    pickle.toString());
            assertTrue(Files.exists(marker), kind + ": Python ran the payload");
        }
    }

    @Test
    void refusesObjectBuildingOpcodes() throws IOException {
        // OBJ with a allowed constructor on the stack is still refused: state dicts never use it
        byte[] pickle =
                new PickleBytes()
                        .proto(1)
                        .op('(')
                        .global("collections", "OrderedDict")
                        .op('o')
                        .op('.')
                        .bytes();
        Path file = new TorchZip().write(dir.resolve("obj.pth"), pickle);
        UnsafeCheckpointException e =
                assertThrows(UnsafeCheckpointException.class, () -> TorchCheckpoint.open(file));
        assertTrue(e.getMessage().contains("OBJ opcode"), e.getMessage());
        assertNull(e.getGlobal());
    }

    @Test
    void explainsLegacyTruncatedAndDamagedFiles() throws IOException {
        // a pre-1.6 torch.save file starts with the pickled magic number 0x1950a86a20f9469cfc6c
        byte[] legacy =
                new PickleBytes()
                        .proto(2)
                        .op(0x8a)
                        .op(10)
                        .raw(
                                new byte[] {
                                    0x6c,
                                    (byte) 0xfc,
                                    (byte) 0x9c,
                                    0x46,
                                    (byte) 0xf9,
                                    0x20,
                                    0x6a,
                                    (byte) 0xa8,
                                    0x50,
                                    0x19
                                })
                        .op('.')
                        .bytes();
        Path legacyFile = Files.write(dir.resolve("legacy.pth"), legacy);
        assertMessage(
                legacyFile,
                "legacy (pre-1.6, non-zip)",
                "Re-save it with a newer PyTorch",
                "weights_only=True");

        byte[] good = Files.readAllBytes(tinyCheckpoint("fp32"));
        Path truncated =
                Files.write(dir.resolve("truncated.pth"), Arrays.copyOf(good, good.length / 2));
        assertMessage(truncated, "is truncated or damaged", "re-download");

        float[] emb = new float[64 * 32];
        Path shortStorage =
                new TorchZip()
                        .add("emb.weight", new long[] {64, 32}, emb)
                        .entry("data/0", new byte[4000])
                        .write(dir.resolve("short.pth"));
        assertMessage(shortStorage, "tensor 'emb.weight' needs 8192 bytes in data/0", "holds 4000");

        Path outside =
                new TorchZip()
                        .storage("0", new float[8])
                        .view(
                                "w",
                                new TorchZip.Tensor(
                                        "0", 8, 4, new long[] {2, 4}, new long[] {4, 1}))
                        .write(dir.resolve("outside.pth"));
        assertMessage(outside, "tensor 'w'", "reaches element 11 of a storage of 8");

        byte[] pickle =
                new TorchZip().add("emb.weight", new long[] {2}, new float[2]).stateDictPickle();
        Path cut =
                new TorchZip()
                        .write(dir.resolve("cut.pth"), Arrays.copyOf(pickle, pickle.length - 20));
        assertMessage(cut, "is damaged: its data.pkl cannot be read");

        // a string claiming 2 GB in a 30-byte pickle: refused before anything is allocated
        byte[] huge =
                new PickleBytes()
                        .proto(2)
                        .op('X')
                        .raw(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f})
                        .raw("abc".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .op('.')
                        .bytes();
        assertMessage(
                new TorchZip().write(dir.resolve("huge.pth"), huge),
                "2147483647 bytes is announced");

        byte[] notTensors =
                new PickleBytes()
                        .proto(2)
                        .op('}')
                        .string("epoch")
                        .integer(3)
                        .op('s')
                        .op('.')
                        .bytes();
        assertMessage(
                new TorchZip().write(dir.resolve("epoch.pth"), notTensors),
                "'epoch' is not a tensor but the int 3");

        Path script =
                new TorchZip()
                        .entry("constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'})
                        .write(
                                dir.resolve("script.pth"),
                                new PickleBytes().proto(2).op('}').op('.').bytes());
        assertMessage(script, "TorchScript archive");

        Path text = Files.writeString(dir.resolve("notes.pth"), "hello");
        assertMessage(text, "is not a torch.save checkpoint");
    }

    private static void assertMessage(Path file, String... parts) {
        IOException e = assertThrows(IOException.class, () -> TorchCheckpoint.open(file));
        for (String part : parts) {
            assertTrue(
                    e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
        }
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
    }
}
