package archway.edge;

import archway.platform.json.Json;
import archway.platform.telemetry.Telemetry;
import archway.platform.tier.LocalEndpoints;
import archway.platform.tier.ProblemErrorHandler;
import archway.platform.tier.Problems;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
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
    private static final Set<String> PURGE_FIELDS = Set.of("url", "tag", "all");

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

    /** What a purge request asks for, checked. */
    sealed interface Purge {
        record Url(String url) implements Purge {
        }

        record Tag(String tag) implements Purge {
        }

        record All() implements Purge {
        }

        /**
         * The purge a JSON body asks for.
         *
         * @throws IllegalArgumentException with the reason, for a body that is not exactly one valid field
         */
        static Purge parse(byte[] body) {
            JsonNode json;
            try {
                json = Json.mapper().readTree(body);
            } catch (JacksonException e) {
                throw new IllegalArgumentException("the body must be JSON such as {\"url\": \"/path?q\"}");
            } catch (IOException e) {
                throw new IllegalArgumentException("the body could not be read");
            }
            String field = json != null && json.isObject() && json.size() == 1 ? json.fieldNames().next() : null;
            if (field == null || !PURGE_FIELDS.contains(field)) {
                throw new IllegalArgumentException("the body must be an object with exactly one of \"url\", \"tag\" or \"all\","
                        + " such as {\"url\": \"/path?q\"}, {\"tag\": \"products\"} or {\"all\": true}");
            }
            JsonNode value = json.get(field);
            return switch (field) {
                case "url" -> new Url(pathQuery(text(field, value)));
                case "tag" -> new Tag(text(field, value));
                default -> {
                    if (!value.isBoolean() || !value.booleanValue()) {
                        throw new IllegalArgumentException("\"all\" must be true, was " + value);
                    }
                    yield new All();
                }
            };
        }

        private static String text(String field, JsonNode value) {
            if (!value.isTextual() || value.textValue().isBlank()) {
                throw new IllegalArgumentException("\"" + field + "\" must be a non-empty string, was " + value);
            }
            return value.textValue();
        }

        /** A URL as the cache keys it: its path and query; a full {@code http(s)://} URL is taken for its path and query. */
        private static String pathQuery(String url) {
            if (url.startsWith("/")) {
                return url;
            }
            try {
                URI uri = new URI(url);
                if (uri.getScheme() != null && uri.getRawPath() != null && uri.getRawPath().startsWith("/")) {
                    return uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
                }
            } catch (java.net.URISyntaxException e) {
                // answered below
            }
            throw new IllegalArgumentException("\"url\" must be a path and query such as /products?page=2, was \"" + url + "\"");
        }
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
            int purged = switch (purge) {
                case Purge.Url url -> edge.purge(url.url());
                case Purge.Tag tag -> edge.purgeTag(tag.tag());
                case Purge.All all -> edge.purgeAll();
            };
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
