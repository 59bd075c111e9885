package ai.spikegpt.serve;

/** A request body, or its list of inputs, is larger than the server accepts (HTTP 413). */
public final class RequestTooLargeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was too large and the limit
     */
    public RequestTooLargeException(String message) {
        super(message);
    }
}
