package ai.spikegpt.serve;

import com.google.gson.JsonObject;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an exception into an HTTP status and a DJL-Serving-style JSON error, {@code {"code": 400,
 * "type": "BadRequest", "message": "..."}}: the client's mistake (an {@link
 * IllegalArgumentException} anywhere in the cause chain, as DJL wraps the translator's in a {@code
 * TranslateException}) is 400 with its message; a full queue 503 with {@code Retry-After}; too
 * large 413; anything else 500, logged with its stack trace.
 */
final class HttpErrors {

    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

    /** Seconds a client is asked to wait after a 503. */
    static final String RETRY_AFTER_SECONDS = "1";

    private HttpErrors() {}

    /**
     * Answers a request with the error.
     *
     * @param ctx the request
     * @param error what went wrong
     */
    static void reply(Context ctx, Throwable error) {
        Throwable e = unwrap(error);
        HttpStatus status = status(e);
        String message = message(e, status);
        if (status == HttpStatus.INTERNAL_SERVER_ERROR) {
            LOG.warn("{} {} failed", ctx.method(), ctx.path(), e);
        }
        if (status == HttpStatus.SERVICE_UNAVAILABLE) {
            ctx.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        JsonObject body = new JsonObject();
        body.addProperty("code", status.getCode());
        body.addProperty("type", status.getMessage().replace(" ", ""));
        body.addProperty("message", message);
        ctx.status(status).contentType("application/json").result(body.toString());
    }

    static HttpStatus status(Throwable e) {
        if (e instanceof HttpResponseException http) {
            return HttpStatus.forStatus(http.getStatus());
        }
        if (e instanceof OverloadedException) {
            return HttpStatus.SERVICE_UNAVAILABLE;
        }
        if (e instanceof RequestTooLargeException) {
            return HttpStatus.CONTENT_TOO_LARGE;
        }
        return clientMistake(e) != null ? HttpStatus.BAD_REQUEST : HttpStatus.INTERNAL_SERVER_ERROR;
    }

    private static String message(Throwable e, HttpStatus status) {
        if (status == HttpStatus.BAD_REQUEST && !(e instanceof HttpResponseException)) {
            return clientMistake(e).getMessage();
        }
        if (status == HttpStatus.INTERNAL_SERVER_ERROR) {
            return "internal error (" + e + "); the server log has the details";
        }
        return e.getMessage();
    }

    /** The first {@link IllegalArgumentException} in the cause chain: what the client got wrong. */
    private static Throwable clientMistake(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IllegalArgumentException) {
                return t;
            }
        }
        return null;
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
