package ai.spikegpt.serve;

import com.google.gson.JsonObject;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a generation as server-sent events, each flushed as it is produced: {@code data: {"token":
 * piece}} a piece, then {@code data: {"generated_text": whole}}. Once the first event is out the
 * status is sent, so a failure after it becomes a last {@code data: {"error": ...}} event; a client
 * that goes away stops the generation.
 */
final class EventStream {

    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);

    private EventStream() {}

    /**
     * @param ctx the request
     * @param pieces the generation's pieces, produced as they are asked for
     */
    static void write(Context ctx, Iterator<String> pieces) {
        ctx.contentType("text/event-stream; charset=utf-8").header("Cache-Control", "no-cache");
        OutputStream out;
        try {
            // the servlet's own stream: each flush sends a chunk (Javalin's wrapper may hold it)
            out = ctx.res().getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the reply stream", e);
        }
        StringBuilder whole = new StringBuilder();
        try {
            while (pieces.hasNext()) {
                String piece = pieces.next();
                whole.append(piece);
                if (!event(out, "token", piece)) {
                    LOG.info("{} {}: the client went away", ctx.method(), ctx.path());
                    return;
                }
            }
            event(out, "generated_text", whole.toString());
        } catch (RuntimeException e) {
            LOG.warn("{} {}: generation failed while streaming", ctx.method(), ctx.path(), e);
            event(out, "error", "generation failed: " + e.getMessage());
        }
    }

    /** Writes and flushes one event; false if the client has gone. */
    private static boolean event(OutputStream out, String key, String value) {
        JsonObject data = new JsonObject();
        data.addProperty(key, value);
        try {
            out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
