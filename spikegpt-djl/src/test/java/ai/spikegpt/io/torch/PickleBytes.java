package ai.spikegpt.io.torch;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes pickle opcodes by hand, to build state dicts and hostile pickles for tests. */
final class PickleBytes {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleBytes proto(int version) {
        return op(0x80).op(version);
    }

    PickleBytes op(int opcode) {
        out.write(opcode);
        return this;
    }

    /** GLOBAL: {@code c module\nname\n}. */
    PickleBytes global(String module, String name) {
        op('c');
        raw((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** BINUNICODE. */
    PickleBytes string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        raw(b);
        return this;
    }

    /** BININT. */
    PickleBytes integer(long v) {
        op('J');
        raw(
                ByteBuffer.allocate(4)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putInt(Math.toIntExact(v))
                        .array());
        return this;
    }

    /** MARK, then the items, then TUPLE. */
    PickleBytes tuple(long... items) {
        op('(');
        for (long i : items) {
            integer(i);
        }
        return op('t');
    }

    PickleBytes raw(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
