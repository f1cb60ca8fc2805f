package archway.platform.tier;

import archway.platform.telemetry.Telemetry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A tier's own {@code /health}, {@code /ready} and {@code /metrics}: answered here and never
 * forwarded, so a probe measures this tier and not whatever stands behind it. Public for a
 * component's separate admin listener (the standalone edge's), which serves the same three.
 */
public final class LocalEndpoints {

    private static final PreEncodedHttpField JSON = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/json");
    private static final PreEncodedHttpField PROMETHEUS =
            new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
    private static final PreEncodedHttpField NO_STORE = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "no-store");
    private static final byte[] UP = "{\"status\":\"up\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] READY = "{\"status\":\"ready\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] UNAVAILABLE = "{\"status\":\"unavailable\"}".getBytes(StandardCharsets.UTF_8);

    private final Telemetry telemetry;
    private final BooleanSupplier ready;

    public LocalEndpoints(Telemetry telemetry, BooleanSupplier ready) {
        this.telemetry = telemetry;
        this.ready = ready;
    }

    /** Answers the request if it is for one of these endpoints; {@code false} otherwise. */
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        if (!path.equals("/health") && !path.equals("/ready") && !path.equals("/metrics")) {
            return false;
        }
        if (!HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            Problems.write(response, callback, 405, request.getMethod() + " is not allowed on " + path);
            return true;
        }
        switch (path) {
            case "/health" -> write(response, callback, 200, JSON, UP);
            case "/ready" -> {
                boolean isReady = ready.getAsBoolean();
                write(response, callback, isReady ? 200 : 503, JSON, isReady ? READY : UNAVAILABLE);
            }
            default -> write(response, callback, 200, PROMETHEUS, telemetry.scrape().getBytes(StandardCharsets.UTF_8));
        }
        return true;
    }

    private static void write(Response response, Callback callback, int status, PreEncodedHttpField type, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(type);
        response.getHeaders().put(NO_STORE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
