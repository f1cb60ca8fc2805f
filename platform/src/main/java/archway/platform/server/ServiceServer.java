package archway.platform.server;

import archway.platform.json.Json;
import archway.platform.problem.Problem;
import archway.platform.problem.ProblemException;
import archway.platform.telemetry.AccessLog;
import archway.platform.telemetry.RequestIds;
import archway.platform.telemetry.Telemetry;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server every service instance (and the operations entry) runs on: Javalin on
 * Jetty 12 with virtual threads, plus what every Archway server does the same way.
 *
 * <ul>
 *   <li>{@code X-Request-Id} kept or made up, echoed on the response;</li>
 *   <li>the caller's W3C {@code traceparent} continued in a server span, its trace id in
 *       one access-log line per request;</li>
 *   <li>every error answered as {@code application/problem+json} by one mapper: thrown
 *       {@link ProblemException}s, malformed JSON, unknown paths, wrong methods, bodies over
 *       the size limit; anything unexpected becomes a bare 500 problem (logged, never
 *       described to the client);</li>
 *   <li>{@code /health}, {@code /ready} and {@code /metrics}.</li>
 * </ul>
 */
public final class ServiceServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceServer.class);
    private static final String SPAN = "archway.span";
    private static final String STARTED = "archway.started";
    private static final TextMapGetter<Context> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Context ctx) {
            return ctx.headerMap().keySet();
        }

        @Override
        public String get(Context ctx, String key) {
            return ctx == null ? null : ctx.header(key);
        }
    };

    private final Javalin app;
    private final Config config;

    /**
     * Settings of one server.
     *
     * @param component       the component's name, used in logs, spans and metrics
     * @param host            the address to bind
     * @param port            the port to bind, {@code 0} for any free one
     * @param maxRequestBytes the largest request body accepted; larger ones get {@code 413}
     */
    public record Config(String component, String host, int port, long maxRequestBytes) {
        public Config {
            if (component == null || component.isBlank()) {
                throw new IllegalArgumentException("server component name must be set");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("server port for " + component + " must be 0-65535, was " + port);
            }
            if (maxRequestBytes < 1) {
                throw new IllegalArgumentException("maxRequestBytes for " + component + " must be positive, was " + maxRequestBytes);
            }
        }

        public static Config of(String component, String host, int port) {
            return new Config(component, host, port, 1024 * 1024);
        }
    }

    private ServiceServer(Config config, Telemetry telemetry, BooleanSupplier ready, Consumer<RoutesConfig> routes) {
        this.config = config;
        this.app = Javalin.create(javalin -> {
            javalin.concurrency.useVirtualThreads = true;
            javalin.startup.showJavalinBanner = false;
            javalin.http.maxRequestSize = config.maxRequestBytes();
            javalin.http.prefer405over404 = true;
            // No compression behind the edge: on loopback it only costs CPU, and a shared cache
            // in front must never store an encoding the next client did not ask for.
            javalin.http.compressionStrategy = CompressionStrategy.NONE;
            javalin.jsonMapper(new JavalinJackson(Json.mapper(), true));
            javalin.jetty.host = config.host();
            javalin.jetty.port = config.port();
            javalin.jetty.modifyHttpConfiguration(http -> {
                http.setSendServerVersion(false);
                http.setSendXPoweredBy(false);
            });
            RoutesConfig r = javalin.routes;
            r.before(ctx -> begin(ctx, telemetry));
            r.after(ctx -> end(ctx, config.component()));
            r.get("/health", ctx -> ctx.json(new Status("up")));
            r.get("/ready", ctx -> {
                boolean isReady = ready.getAsBoolean();
                ctx.status(isReady ? 200 : 503).json(new Status(isReady ? "ready" : "starting"));
            });
            r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(telemetry.scrape()));
            mapErrors(r);
            routes.accept(r);
        });
    }

    /** Starts a server; {@code routes} adds the component's own endpoints. */
    public static ServiceServer start(Config config, Telemetry telemetry, BooleanSupplier ready, Consumer<RoutesConfig> routes) {
        ServiceServer server = new ServiceServer(config, telemetry, ready, routes);
        server.app.start();
        return server;
    }

    /** The port the server listens on (useful when it was started on port 0). */
    public int port() {
        return app.port();
    }

    public String url() {
        return "http://" + config.host() + ":" + port();
    }

    @Override
    public void close() {
        app.stop();
    }

    record Status(String status) {
    }

    private static void begin(Context ctx, Telemetry telemetry) {
        String requestId = RequestIds.acceptOrCreate(ctx.header(RequestIds.HEADER));
        ctx.header(RequestIds.HEADER, requestId);
        ctx.attribute(RequestIds.HEADER, requestId);
        ctx.attribute(STARTED, System.nanoTime());
        Span span = telemetry.startServerSpan(ctx.method() + " " + ctx.path(), ctx, HEADERS);
        ctx.attribute(SPAN, span);
    }

    private static void end(Context ctx, String component) {
        Span span = ctx.attribute(SPAN);
        Long started = ctx.attribute(STARTED);
        if (span == null || started == null) {
            return;
        }
        int status = ctx.statusCode();
        span.setAttribute("http.response.status_code", status);
        if (status >= 500) {
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
        String target = ctx.queryString() == null ? ctx.path() : ctx.path() + "?" + ctx.queryString();
        if (status < 400 && isProbe(ctx.path())) {
            return; // health checks every second would drown the requests in the log
        }
        AccessLog.log(component, span.getSpanContext().getTraceId(), ctx.attribute(RequestIds.HEADER), ctx.method().name(), target,
                status, System.nanoTime() - started);
    }

    private static boolean isProbe(String path) {
        return path.equals("/health") || path.equals("/ready") || path.equals("/metrics");
    }

    /** The current request's server span, to start client spans under it. */
    public static Span span(Context ctx) {
        Span span = ctx.attribute(SPAN);
        return span == null ? Span.getInvalid() : span;
    }

    private static void mapErrors(RoutesConfig r) {
        r.exception(ProblemException.class, (e, ctx) -> {
            e.headers().forEach(ctx::header);
            problem(ctx, e.problem());
        });
        r.exception(JacksonException.class, (e, ctx) -> problem(ctx, jsonProblem(e)));
        r.exception(HttpResponseException.class, (e, ctx) -> problem(ctx, Problem.of(e.getStatus(), httpDetail(e, ctx))));
        r.exception(Exception.class, (e, ctx) -> {
            LOG.error("trace_id={} unexpected failure serving {} {}", span(ctx).getSpanContext().getTraceId(),
                    ctx.method(), ctx.path(), e);
            problem(ctx, Problem.of(500, "the server could not complete the request; it has been logged"));
        });
    }

    private static Problem jsonProblem(JacksonException e) {
        if (e instanceof ValueInstantiationException vie && vie.getCause() instanceof ProblemException pe) {
            return pe.problem();
        }
        if (e.getCause() instanceof ProblemException pe) {
            return pe.problem();
        }
        return Problem.of(400, "the request body is not valid JSON for this resource: " + Bodies.describe(e));
    }

    private static String httpDetail(HttpResponseException e, Context ctx) {
        return switch (e.getStatus()) {
            case 413 -> "the request body is larger than this server accepts";
            case 404 -> "no resource at " + ctx.path();
            case 405 -> ctx.method() + " is not allowed on " + ctx.path();
            default -> e.getMessage() == null ? Problem.titleFor(e.getStatus()) : e.getMessage();
        };
    }

    /** Writes {@code problem} as the response. */
    public static void problem(Context ctx, Problem problem) {
        ctx.status(problem.status()).contentType(Problem.MEDIA_TYPE).result(problem.toJson());
    }
}
