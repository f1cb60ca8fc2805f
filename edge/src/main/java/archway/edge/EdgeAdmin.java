package archway.edge;

import archway.platform.telemetry.Telemetry;
import archway.platform.tier.LocalEndpoints;
import archway.platform.tier.ProblemErrorHandler;
import archway.platform.tier.Problems;
import archway.platform.tier.cache.Purge;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone edge's admin listener, on loopback only: {@code /health}, {@code /ready},
 * {@code /metrics} (the edge's own registry, in Prometheus text) and {@code POST /purge}.
 *
 * <p>It is a listener of its own rather than paths on the proxy, because there every path
 * belongs to the origin, and so that scrapes and purges never count as the edge's traffic.
 *
 * <p>{@code POST /purge} takes exactly one of {@code {"url": "/path?q"}},
 * {@code {"tag": "t"}} (a {@code Surrogate-Key}) or {@code {"all": true}} and answers
 * {@code 200 {"purged": n}}; a URL or tag nothing is cached under is {@code {"purged": 0}},
 * not an error, because a purge's job is that nothing stale is left, and that holds.
 */
public final class EdgeAdmin implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeAdmin.class);
    private static final String LOOPBACK = "127.0.0.1";
    private static final int MAX_PURGE_BODY_BYTES = 16 * 1024;

    private final Server server;
    private final ServerConnector connector;

    private EdgeAdmin(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /**
     * Starts the admin listener of {@code edge} on {@code 127.0.0.1:port} ({@code 0} for any free port).
     *
     * @param telemetry the edge's telemetry, whose registry {@code /metrics} serves
     * @throws IllegalStateException when the port cannot be bound
     */
    public static EdgeAdmin start(Edge edge, Telemetry telemetry, int port) {
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName(telemetry.component() + "-admin");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(LOOPBACK);
        connector.setPort(port);
        server.addConnector(connector);
        server.setErrorHandler(new ProblemErrorHandler());
        server.setHandler(new AdminHandler(edge, new LocalEndpoints(telemetry, () -> true)));
        server.setStopTimeout(2_000);
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            throw new IllegalStateException("the edge's admin listener cannot listen on " + LOOPBACK + ":" + port + ": "
                    + e.getMessage(), e);
        }
        return new EdgeAdmin(server, connector);
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The listener's base URL, such as {@code http://127.0.0.1:9090}. */
    public String url() {
        return "http://" + LOOPBACK + ":" + port();
    }

    @Override
    public void close() {
        stopQuietly(server);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("the edge's admin listener did not stop cleanly: {}", e.toString());
        }
    }

    @Override
    public String toString() {
        return "edge admin at " + url();
    }

    /** The listener's routes. Blocking is fine here: the admin listener has its own few threads and little traffic. */
    private static final class AdminHandler extends Handler.Abstract {
        private final Edge edge;
        private final LocalEndpoints local;

        AdminHandler(Edge edge, LocalEndpoints local) {
            this.edge = edge;
            this.local = local;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws IOException {
            if (local.handle(request, response, callback)) {
                return true;
            }
            String path = request.getHttpURI().getPath();
            if (!"/purge".equals(path)) {
                Problems.write(response, callback, 404, "no admin resource at " + path
                        + "; there are /health, /ready, /metrics and POST /purge");
                return true;
            }
            if (!HttpMethod.POST.is(request.getMethod())) {
                response.getHeaders().put(HttpHeader.ALLOW, "POST");
                Problems.write(response, callback, 405, request.getMethod() + " is not allowed on /purge; use POST");
                return true;
            }
            byte[] body;
            try (InputStream in = Content.Source.asInputStream(request)) {
                body = in.readNBytes(MAX_PURGE_BODY_BYTES + 1);
            }
            if (body.length > MAX_PURGE_BODY_BYTES) {
                Problems.write(response, callback, 413, "a purge body is at most " + MAX_PURGE_BODY_BYTES + " bytes");
                return true;
            }
            Purge purge;
            try {
                purge = Purge.parse(body);
            } catch (IllegalArgumentException e) {
                Problems.write(response, callback, 400, e.getMessage());
                return true;
            }
            int purged = edge.purge(purge);
            LOG.info("purged {} cache entries for {}", purged, purge);
            byte[] answer = ("{\"purged\":" + purged + "}").getBytes(StandardCharsets.UTF_8);
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.length);
            response.write(true, ByteBuffer.wrap(answer), callback);
            return true;
        }
    }
}
