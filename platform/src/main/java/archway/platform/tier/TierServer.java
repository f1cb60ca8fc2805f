package archway.platform.tier;

import archway.platform.telemetry.Telemetry;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty 12 core server a forwarding tier runs on: binds one address, answers Jetty's
 * own errors as problem documents, sends no {@code Server} header, and puts the common
 * front (see {@link ObservedHandler}) before the tier's handlers, and reads what they leave
 * unread of a request body once the answer is out (see {@link UnreadBody}).
 *
 * <p>Handlers are asynchronous: a thread runs a request's handlers until it is forwarded,
 * then returns to the pool. So the pool stays small however many requests wait upstream,
 * and the proxy's HTTP client shares it.
 */
public final class TierServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TierServer.class);
    private static final int IDLE_TIMEOUT_MS = 30_000;
    private static final int MAX_THREADS = 64;
    private static final long STOP_TIMEOUT_MS = 5_000;
    /** Jetty's choice of acceptor threads. */
    private static final int DEFAULT_ACCEPTORS = -1;
    private static final int SELECTORS = Runtime.getRuntime().availableProcessors();

    private final Server server;
    private final ServerConnector connector;
    private final String host;
    private final String component;

    private TierServer(Server server, ServerConnector connector, String host, String component) {
        this.server = server;
        this.connector = connector;
        this.host = host;
        this.component = component;
    }

    /**
     * Starts a tier's server on {@code host:port} ({@code 0} for any free port).
     *
     * @param ready        whether the tier can serve traffic now, for {@code /ready}
     * @param tierHandlers the tier's own handlers, ending in a {@link Forwarder} or other final handler
     * @throws IllegalStateException when the address cannot be bound
     */
    public static TierServer start(String host, int port, Telemetry telemetry, BooleanSupplier ready, Handler tierHandlers) {
        return listen(host, port, telemetry, Objects.requireNonNull(ready, "ready"), tierHandlers);
    }

    /**
     * As {@link #start(String, int, Telemetry, BooleanSupplier, Handler)}, but every path goes
     * to {@code tierHandlers}, {@code /health}, {@code /ready} and {@code /metrics} included:
     * for a tier in front of an origin whose paths are all its own (the standalone edge, which
     * serves those three on an admin listener instead).
     */
    public static TierServer startWithoutLocalEndpoints(String host, int port, Telemetry telemetry, Handler tierHandlers) {
        return listen(host, port, telemetry, null, tierHandlers);
    }

    /** {@code ready} is {@code null} for a tier without local endpoints. */
    private static TierServer listen(String host, int port, Telemetry telemetry, BooleanSupplier ready, Handler tierHandlers) {
        String component = telemetry.component();
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 4);
        threads.setName(component);
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // Requests run on the selector thread that read them (ObservedHandler is non-blocking), so
        // the selectors bound how many cores a tier uses: one per core, not Jetty's default of half.
        ServerConnector connector = new ServerConnector(server, DEFAULT_ACCEPTORS, SELECTORS, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT_MS);
        server.addConnector(connector);
        server.setErrorHandler(new ProblemErrorHandler());
        // On stop: stop accepting, let requests in flight finish (up to the stop timeout), then close.
        // What a tier leaves unread of a body is read after the answer, so the connection survives.
        server.setHandler(new GracefulHandler(new UnreadBody(new ObservedHandler(telemetry, ready, tierHandlers))));
        server.setStopTimeout(STOP_TIMEOUT_MS);
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server, component);
            throw new IllegalStateException(component + " cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return new TierServer(server, connector, host, component);
    }

    /** The port the server listens on (the chosen one when started on port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The server's base URL, such as {@code http://127.0.0.1:8080}. */
    public String url() {
        return "http://" + host + ":" + port();
    }

    /**
     * Drains: stops accepting, waits up to 5 s for the requests in flight to finish, then
     * closes connections and stops the proxy client and the threads.
     */
    @Override
    public void close() {
        stopQuietly(server, component);
    }

    private static void stopQuietly(Server server, String component) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("{} did not stop cleanly: {}", component, e.toString());
        }
    }

    @Override
    public String toString() {
        return component + " at " + (server.isStarted() ? url() : host);
    }
}
