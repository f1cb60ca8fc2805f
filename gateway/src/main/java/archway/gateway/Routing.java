package archway.gateway;

import archway.gateway.GatewayConfig.Route;
import archway.platform.problem.Problem;
import archway.platform.tier.Forwarder;
import archway.platform.tier.Problems;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Finds the route of a request: the longest path prefix that takes it ({@code 404} problem
 * outside every route), then checks the method ({@code 405} problem with {@code Allow}).
 * The route and its timeout go on the request for the handlers after this one.
 *
 * <p>Paths are matched in their decoded, normalized form, so an encoded spelling of a
 * protected path is protected too. Jetty answers ambiguous encodings such as {@code %2F}
 * or {@code %2e%2e} with {@code 400} before this; a path with {@code .} or {@code ..}
 * segments is refused here with {@code 400}, because its normalized form, the one routed,
 * may be a different path from the one the upstream would read.
 */
final class Routing extends Handler.Wrapper {

    private static final String ROUTE = "archway.gateway.route";

    private final List<Route> routes;
    private final Map<String, Duration> timeouts;
    private final Map<String, String> allowed;
    private final Counter notFound;
    private final Counter notAllowed;

    Routing(GatewayConfig config, MeterRegistry registry, Handler next) {
        super(next);
        this.routes = config.routesBySpecificity();
        this.timeouts = config.routes().stream().collect(Collectors.toUnmodifiableMap(Route::name, config::timeoutOf));
        this.allowed = config.routes().stream().collect(Collectors.toUnmodifiableMap(Route::name,
                route -> String.join(", ", new TreeSet<>(route.methods()))));
        this.notFound = rejections(registry, "not_found");
        this.notAllowed = rejections(registry, "method_not_allowed");
    }

    static Counter rejections(MeterRegistry registry, String reason) {
        return Counter.builder("gateway.rejections").tag("reason", reason).description("requests the gateway refused, by reason")
                .register(registry);
    }

    /** The route {@link Routing} chose for a request. */
    static Route route(Request request) {
        return (Route) request.getAttribute(ROUTE);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        Route route = routeOf(path);
        if (route == null) {
            notFound.increment();
            Problems.write(response, callback, 404, "no API resource at " + path);
            return true;
        }
        if (!route.methods().contains(request.getMethod())) {
            notAllowed.increment();
            Problems.write(response, callback, Problem.of(405, request.getMethod() + " is not allowed on "
                    + path), Map.of("Allow", allowed.get(route.name())));
            return true;
        }
        request.setAttribute(ROUTE, route);
        Forwarder.timeout(request, timeouts.get(route.name()));
        return super.handle(request, response, callback);
    }

    private Route routeOf(String path) {
        for (Route route : routes) {
            if (route.takes(path)) {
                return route;
            }
        }
        return null;
    }
}
