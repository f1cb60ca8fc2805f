package archway.gateway;

import archway.platform.tier.HeadersAtCommit;
import archway.platform.tier.Problems;
import archway.platform.problem.Problem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Cross-origin access for browsers on the allowed origins.
 *
 * <p>Preflights are answered here and never forwarded: an allowed origin gets the methods
 * and headers the API takes, any other a {@code 403} problem. Actual requests from an
 * allowed origin get {@code Access-Control-Allow-Origin} echoing it (never {@code *}, and no
 * {@code Allow-Credentials}: the API uses Bearer tokens, not cookies) and the headers a
 * script may read. A disallowed origin gets no CORS headers, so its browser blocks the read.
 *
 * <p>Whenever origins are allowed at all, every response carries {@code Vary: Origin}: the
 * answer depends on the Origin header, and a shared cache (the edge) must not hand one
 * origin's answer to another.
 */
final class Cors extends Handler.Wrapper {

    private static final PreEncodedHttpField VARY_ORIGIN = new PreEncodedHttpField(HttpHeader.VARY, "Origin");
    private static final PreEncodedHttpField ALLOW_METHODS = new PreEncodedHttpField(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS,
            "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    private static final PreEncodedHttpField ALLOW_HEADERS = new PreEncodedHttpField(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS,
            "Authorization, Content-Type, Idempotency-Key, X-Api-Key, X-Request-Id, traceparent");
    private static final PreEncodedHttpField EXPOSE_HEADERS = new PreEncodedHttpField(HttpHeader.ACCESS_CONTROL_EXPOSE_HEADERS,
            "X-Request-Id, Location, ETag, X-Cache, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset,"
                    + " Deprecation, Sunset, Link");
    private static final PreEncodedHttpField MAX_AGE = new PreEncodedHttpField(HttpHeader.ACCESS_CONTROL_MAX_AGE, "600");

    private final Set<String> allowedOrigins;
    private final Counter denied;

    Cors(List<String> allowedOrigins, MeterRegistry registry, Handler next) {
        super(next);
        this.allowedOrigins = Set.copyOf(allowedOrigins);
        this.denied = Routing.rejections(registry, "cors");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (isPreflight(request, origin)) {
            answerPreflight(origin, response, callback);
            return true;
        }
        if (allowedOrigins.isEmpty()) {
            return super.handle(request, response, callback);
        }
        String allowed = origin != null && allowedOrigins.contains(origin) ? origin : null;
        return super.handle(request, new CorsResponse(request, response, allowed), callback);
    }

    private static boolean isPreflight(Request request, String origin) {
        return origin != null && HttpMethod.OPTIONS.is(request.getMethod())
                && request.getHeaders().contains(HttpHeader.ACCESS_CONTROL_REQUEST_METHOD);
    }

    private void answerPreflight(String origin, Response response, Callback callback) {
        HttpFields.Mutable headers = response.getHeaders();
        headers.add(VARY_ORIGIN);
        if (!allowedOrigins.contains(origin)) {
            denied.increment();
            Problems.write(response, callback, Problem.of(403, "cross-origin calls from " + origin + " are not allowed"), Map.of());
            return;
        }
        response.setStatus(204);
        headers.put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.put(ALLOW_METHODS);
        headers.put(ALLOW_HEADERS);
        headers.put(MAX_AGE);
        response.write(true, null, callback);
    }

    /** Sets the CORS headers last, so an upstream's {@code Vary} is merged with ours instead of replacing it. */
    private static final class CorsResponse extends HeadersAtCommit {
        private final String allowedOrigin;

        CorsResponse(Request request, Response wrapped, String allowedOrigin) {
            super(request, wrapped);
            this.allowedOrigin = allowedOrigin;
        }

        @Override
        protected void atCommit(HttpFields.Mutable headers) {
            headers.ensureField(VARY_ORIGIN);
            if (allowedOrigin != null) {
                headers.put(new HttpField(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, allowedOrigin));
                headers.put(EXPOSE_HEADERS);
            }
        }
    }
}
