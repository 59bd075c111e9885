package ai.spikegpt.io.torch;

import java.io.IOException;

/**
 * A checkpoint's pickle asks for something a state dict never needs: a Python global outside the
 * allowed few (e.g. {@code os.system}, {@code builtins.eval}) or an object-building opcode. The
 * checkpoint is refused before anything from it is used; nothing is ever executed, because the
 * unpickler only knows the allowed globals.
 */
public final class UnsafeCheckpointException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String global;

    /**
     * @param message the full message
     * @param global the offending global as {@code module.name}, or null for a forbidden opcode
     */
    UnsafeCheckpointException(String message, String global) {
        super(message);
        this.global = global;
    }

    /**
     * @return the refused global as {@code module.name}, or null when an opcode was refused
     */
    public String getGlobal() {
        return global;
    }
}
