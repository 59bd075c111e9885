package ai.spikegpt.serve;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server's settings: port, dynamic batching (batch size and the longest wait for a batch to
 * fill), workers per model, queue bound, body limit and the models' loading arguments. DJL-style
 * builder; every value is checked when built.
 */
public final class ServerOptions {

    private final String host;
    private final int port;
    private final int batchSize;
    private final long maxBatchDelayMillis;
    private final int workers;
    private final int queueSize;
    private final int maxBodyBytes;
    private final Map<String, String> modelArguments;

    private ServerOptions(Builder b) {
        check("port", b.port, 0, 65535);
        check("batch size", b.batchSize, 1, 4096);
        check("max batch delay (ms)", b.maxBatchDelayMillis, 0, 60_000);
        check("workers", b.workers, 1, 256);
        check("queue size", b.queueSize, 1, 1_000_000);
        check("max body size (bytes)", b.maxBodyBytes, 1, Integer.MAX_VALUE - 1);
        if (b.host == null || b.host.isBlank()) {
            throw new IllegalArgumentException("the host to listen on is empty");
        }
        host = b.host;
        port = b.port;
        batchSize = b.batchSize;
        maxBatchDelayMillis = b.maxBatchDelayMillis;
        workers = b.workers;
        queueSize = b.queueSize;
        maxBodyBytes = b.maxBodyBytes;
        modelArguments = Map.copyOf(b.modelArguments);
    }

    private static void check(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    name + " must be between " + min + " and " + max + ", got " + value);
        }
    }

    /**
     * @return the arguments every model is loaded with (as DJL's {@code Criteria.optArgument}),
     *     e.g. {@code inference=java}
     */
    public Map<String, String> getModelArguments() {
        return modelArguments;
    }

    /**
     * @return a builder: 127.0.0.1, port 8080, batches of up to 32 collected for up to 10 ms, one
     *     worker, a queue of 1000, bodies up to 1 MiB
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the address to listen on (127.0.0.1: this machine only)
     */
    public String getHost() {
        return host;
    }

    /**
     * @return the TCP port (0: any free port)
     */
    public int getPort() {
        return port;
    }

    /**
     * @return the most texts a classifier reads in one padded batch
     */
    public int getBatchSize() {
        return batchSize;
    }

    /**
     * @return how long a worker waits for a batch to fill after its first text, in milliseconds
     */
    public long getMaxBatchDelayMillis() {
        return maxBatchDelayMillis;
    }

    /**
     * @return worker threads per model, each with its own predictor
     */
    public int getWorkers() {
        return workers;
    }

    /**
     * @return the most texts (classifiers) or requests (language models) waiting per model
     */
    public int getQueueSize() {
        return queueSize;
    }

    /**
     * @return the largest accepted request body, in bytes
     */
    public int getMaxBodyBytes() {
        return maxBodyBytes;
    }

    /** Builds {@link ServerOptions}. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8080;
        private int batchSize = 32;
        private long maxBatchDelayMillis = 10;
        private int workers = 1;
        private int queueSize = 1000;
        private int maxBodyBytes = 1 << 20;
        private final Map<String, String> modelArguments = new LinkedHashMap<>();

        Builder() {}

        /**
         * @param host the address to listen on, e.g. 0.0.0.0 for every interface @return this
         *     builder
         */
        public Builder optHost(String host) {
            this.host = host;
            return this;
        }

        /**
         * @param port the TCP port, 0 for any free one @return this builder
         */
        public Builder optPort(int port) {
            this.port = port;
            return this;
        }

        /**
         * @param batchSize the largest classifier batch @return this builder
         */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * @param millis how long a batch may wait to fill @return this builder
         */
        public Builder optMaxBatchDelayMillis(long millis) {
            this.maxBatchDelayMillis = millis;
            return this;
        }

        /**
         * @param workers worker threads per model @return this builder
         */
        public Builder optWorkers(int workers) {
            this.workers = workers;
            return this;
        }

        /**
         * @param queueSize the most waiting texts or requests per model @return this builder
         */
        public Builder optQueueSize(int queueSize) {
            this.queueSize = queueSize;
            return this;
        }

        /**
         * Sets an argument every model is loaded with, as DJL's {@code Criteria.optArgument}:
         * {@code inference=java} runs the classifiers on the Java engine.
         *
         * @param key the argument's name
         * @param value its value
         * @return this builder
         */
        public Builder optModelArgument(String key, String value) {
            modelArguments.put(key, value);
            return this;
        }

        /**
         * @param maxBodyBytes the largest request body @return this builder
         */
        public Builder optMaxBodyBytes(int maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException for a value out of range, naming it
         */
        public ServerOptions build() {
            return new ServerOptions(this);
        }
    }
}
