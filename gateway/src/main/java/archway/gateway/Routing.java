package archway.gateway;

import archway.platform.auth.TokenVerifier;
import archway.platform.problem.ProblemException;
import archway.platform.tier.Problems;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Path routing and authentication: finds the route of a request ({@code 404} problem when
 * none), checks the Bearer token of a protected call ({@code 401} problem with
 * {@code WWW-Authenticate} when missing or invalid, before anything is forwarded), removes
 * the internal {@code X-Archway-*} headers a client may have forged, and hands the request
 * on with its upstream.
 *
 * <p>Paths are matched in their decoded, normalized form (Jetty rejects ambiguous encodings
 * such as {@code %2F} or {@code %2e%2e} with {@code 400} first), so an encoded spelling of a
 * protected path is protected too.
 */
final class Routing extends Handler.Wrapper {

    private static final String UPSTREAM = "archway.gateway.upstream";

    private final List<GatewayConfig.Route> routes;
    private final TokenVerifier verifier;
    private final Counter notFound;
    private final Counter unauthorized;

    Routing(GatewayConfig config, TokenVerifier verifier, MeterRegistry registry, Handler next) {
        super(next);
        this.routes = config.routesBySpecificity();
        this.verifier = verifier;
        this.notFound = Counter.builder("gateway.rejections").tag("reason", "not_found").register(registry);
        this.unauthorized = Counter.builder("gateway.rejections").tag("reason", "unauthorized").register(registry);
    }

    /** The upstream {@link Routing} chose for a request; as {@code Upstreams}, never a second one. */
    static URI upstream(Request request, URI failed) {
        return failed == null ? (URI) request.getAttribute(UPSTREAM) : null;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        GatewayConfig.Route route = routeOf(path);
        if (route == null) {
            notFound.increment();
            Problems.write(response, callback, 404, "no API resource at " + path);
            return true;
        }
        if (route.isProtected(request.getMethod(), path)) {
            try {
                verifier.verifyAuthorization(request.getHeaders().get(HttpHeader.AUTHORIZATION));
            } catch (ProblemException e) {
                unauthorized.increment();
                Problems.write(response, callback, e);
                return true;
            }
        }
        request.setAttribute(UPSTREAM, route.upstream());
        return super.handle(WithoutInternalHeaders.of(request), response, callback);
    }

    private GatewayConfig.Route routeOf(String path) {
        for (GatewayConfig.Route route : routes) {
            if (path.startsWith(route.pathPrefix())) {
                return route;
            }
        }
        return null;
    }
}
