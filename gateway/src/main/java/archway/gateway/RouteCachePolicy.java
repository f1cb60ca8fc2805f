package archway.gateway;

import archway.gateway.GatewayConfig.Route;
import archway.platform.tier.cache.CachePolicy;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * The gateway's response cache serves the routes configured with {@code cache} only. A
 * request with credentials ({@code Authorization}, or an API key) reads and fills it only
 * on a route marked {@code public: true}, whose answers are the same for everyone; that is
 * the gateway's advantage over the edge, which must pass every request with credentials
 * through.
 */
final class RouteCachePolicy implements CachePolicy {

    @Override
    public boolean mayUse(Request request) {
        Route route = Routing.route(request);
        if (route == null || route.cache().isEmpty()) {
            return false;
        }
        boolean credentials = request.getHeaders().contains(HttpHeader.AUTHORIZATION) || Caller.of(request).key().isPresent();
        return !credentials || route.cache().get().isPublic();
    }
}
