package ai.spikegpt.serve;

import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.util.JavalinBindException;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: Javalin (embedded Jetty) with the {@link Routes}, one log line a request ({@code
 * POST /predictions/spikegpt-sst2 200 12.3 ms}), and a graceful {@link #close}: Jetty stops
 * accepting connections and waits for the requests in flight, so everything queued is answered;
 * then the models' workers stop and their native memory is freed.
 */
public final class PredictionServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PredictionServer.class);

    /** How long a shutdown waits for the requests in flight. */
    private static final long STOP_TIMEOUT_MILLIS = 120_000;

    private final Javalin app;
    private final ModelRegistry registry;
    private final CountDownLatch closed = new CountDownLatch(1);
    private boolean closing;

    private PredictionServer(Javalin app, ModelRegistry registry) {
        this.app = app;
        this.registry = registry;
    }

    /**
     * Starts serving.
     *
     * @param registry the models (closed with the server)
     * @param options host, port and body limit
     * @return the running server
     * @throws IllegalStateException if the port is taken
     */
    public static PredictionServer start(ModelRegistry registry, ServerOptions options) {
        Routes routes = new Routes(registry, options.getMaxBodyBytes());
        Javalin app =
                Javalin.create(
                        config -> {
                            config.showJavalinBanner = false;
                            config.startupWatcherEnabled = false;
                            config.http.disableCompression(); // streamed events go out as written
                            config.http.prefer405over404 = true; // GET /predictions/x: 405
                            config.requestLogger.http(
                                    (ctx, ms) ->
                                            LOG.info(
                                                    "{} {} {} {} ms",
                                                    ctx.method(),
                                                    ctx.path(),
                                                    ctx.statusCode(),
                                                    String.format("%.1f", ms)));
                        });
        app.get("/ping", routes::ping);
        app.get("/models", routes::models);
        app.post("/predictions/{name}", routes::predict);
        app.exception(HttpResponseException.class, (e, ctx) -> HttpErrors.reply(ctx, e));
        app.exception(Exception.class, (e, ctx) -> HttpErrors.reply(ctx, e));
        try {
            app.start(options.getHost(), options.getPort());
        } catch (JavalinBindException e) {
            throw new IllegalStateException(
                    "cannot listen on "
                            + options.getHost()
                            + ":"
                            + options.getPort()
                            + " ("
                            + e.getMessage()
                            + "): stop the other server or give another --port",
                    e);
        }
        // graceful stop (set once started: Jetty's graceful stop fails on a server that never ran)
        app.jettyServer().server().setStopTimeout(STOP_TIMEOUT_MILLIS);
        PredictionServer server = new PredictionServer(app, registry);
        LOG.info(
                "serving {} on http://{}:{}",
                String.join(", ", registry.all().stream().map(ServedModel::name).toList()),
                options.getHost(),
                app.port());
        return server;
    }

    /**
     * @return the port the server listens on
     */
    public int port() {
        return app.port();
    }

    /** Blocks until the server has been closed (by {@link #close}, e.g. from a shutdown hook). */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    /**
     * Stops gracefully: no new connections, the requests in flight answered, then the models
     * closed. Safe to call more than once and from a shutdown hook.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        try {
            LOG.info("shutting down: answering the requests in flight");
            app.stop();
            registry.close();
            LOG.info("stopped");
        } finally {
            closed.countDown();
        }
    }
}
