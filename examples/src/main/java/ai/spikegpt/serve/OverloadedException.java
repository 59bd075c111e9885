package ai.spikegpt.serve;

/**
 * A model's queue is full, or the server is shutting down: the request is refused at once (HTTP 503
 * with {@code Retry-After}) instead of waiting in an unbounded backlog.
 */
public final class OverloadedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what is full and what to do
     */
    public OverloadedException(String message) {
        super(message);
    }
}
