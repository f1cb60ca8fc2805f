package archway.gateway;

import archway.platform.tier.ConfigCheck;
import java.net.URI;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Settings of the API gateway, checked at start.
 *
 * @param host            the address to bind
 * @param port            the port to bind, {@code 0} for any free one
 * @param routes          where each path prefix is forwarded and which of its calls need a token
 * @param allowedOrigins  browser origins allowed to call the API cross-origin ({@code https://shop.example.com});
 *                        empty: same-origin only
 * @param maxBodyBytes    the largest request body forwarded; larger ones get {@code 413}
 * @param upstreamTimeout the longest wait for an upstream's complete answer ({@code 504} after)
 */
public record GatewayConfig(String host, int port, List<Route> routes, List<String> allowedOrigins, long maxBodyBytes,
                            Duration upstreamTimeout) {

    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    /** Longer than the balancer's 5 s, so that a retried request still fits and the balancer's own answer arrives. */
    public static final Duration DEFAULT_UPSTREAM_TIMEOUT = Duration.ofSeconds(12);
    /**
     * The calls of Archway's API that need a Bearer token before anything is forwarded. The
     * services check the token again (and who may do what); the gateway turns anonymous
     * callers away early.
     */
    public static final List<ProtectedCall> API_PROTECTION = List.of(
            new ProtectedCall("GET", "/api/v1/users/me"),
            new ProtectedCall("PATCH", "/api/v1/products/*"),
            new ProtectedCall("*", "/api/v1/orders"),
            new ProtectedCall("*", "/api/v1/orders/*"),
            new ProtectedCall("*", "/api/v1/notifications"),
            new ProtectedCall("PUT", "/api/v1/inventory/*"));

    public GatewayConfig {
        ConfigCheck.host("gateway.host", host);
        ConfigCheck.port("gateway.port", port);
        routes = List.copyOf(ConfigCheck.notEmpty("gateway.routes", routes));
        if (routes.stream().map(Route::pathPrefix).distinct().count() != routes.size()) {
            throw new IllegalArgumentException("gateway.routes must not repeat a path prefix, was " + routes);
        }
        if (allowedOrigins == null) {
            throw new IllegalArgumentException("gateway.allowedOrigins must be a list (possibly empty), was null");
        }
        allowedOrigins = List.copyOf(allowedOrigins);
        allowedOrigins.forEach(GatewayConfig::checkOrigin);
        ConfigCheck.positive("gateway.maxBodyBytes", maxBodyBytes);
        if (maxBodyBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("gateway.maxBodyBytes must be below 2 GiB, was " + maxBodyBytes);
        }
        ConfigCheck.positive("gateway.upstreamTimeout", upstreamTimeout);
    }

    /** The gateway of the default run: everything under {@code /api/} to {@code upstream}, with {@link #API_PROTECTION}. */
    public static GatewayConfig of(String host, int port, URI upstream) {
        return new GatewayConfig(host, port, List.of(new Route("/api/", upstream, API_PROTECTION)), List.of(),
                DEFAULT_MAX_BODY_BYTES, DEFAULT_UPSTREAM_TIMEOUT);
    }

    public GatewayConfig withRoutes(List<Route> newRoutes) {
        return new GatewayConfig(host, port, newRoutes, allowedOrigins, maxBodyBytes, upstreamTimeout);
    }

    public GatewayConfig withAllowedOrigins(List<String> origins) {
        return new GatewayConfig(host, port, routes, origins, maxBodyBytes, upstreamTimeout);
    }

    public GatewayConfig withMaxBodyBytes(long bytes) {
        return new GatewayConfig(host, port, routes, allowedOrigins, bytes, upstreamTimeout);
    }

    public GatewayConfig withUpstreamTimeout(Duration timeout) {
        return new GatewayConfig(host, port, routes, allowedOrigins, maxBodyBytes, timeout);
    }

    /** The routes, longest prefix first: the most specific route wins. */
    List<Route> routesBySpecificity() {
        return routes.stream().sorted(Comparator.comparingInt((Route r) -> r.pathPrefix().length()).reversed()).toList();
    }

    private static void checkOrigin(String origin) {
        // an origin is compared as the exact string a browser sends: scheme://host[:port], no slash;
        // there is no wildcard, so "*" can never be answered (with or without credentials)
        if (origin == null || origin.endsWith("/") || !origin.equals(origin.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("gateway.allowedOrigins entries must look like https://shop.example.com"
                    + " (lower case, no path, no wildcard), was '" + origin + "'");
        }
        try {
            ConfigCheck.origin("gateway.allowedOrigins", URI.create(origin));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("gateway.allowedOrigins entries must look like https://shop.example.com"
                    + " (lower case, no path, no wildcard), was '" + origin + "'", e);
        }
    }

    /**
     * Requests whose path starts with {@code pathPrefix} go to {@code upstream} (the client's
     * path is kept); the calls listed in {@code protection} need a valid Bearer token.
     */
    public record Route(String pathPrefix, URI upstream, List<ProtectedCall> protection) {
        public Route {
            if (pathPrefix == null || !pathPrefix.startsWith("/")) {
                throw new IllegalArgumentException("gateway route pathPrefix must start with '/', was " + pathPrefix);
            }
            ConfigCheck.origin("gateway route upstream for " + pathPrefix, upstream);
            protection = List.copyOf(protection == null ? List.of() : protection);
        }

        /** Whether a call needs a token on this route. */
        boolean isProtected(String method, String path) {
            for (ProtectedCall call : protection) {
                if (call.matches(method, path)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * A call that needs a valid Bearer token.
     *
     * @param method      an HTTP method, or {@code *} for any; {@code GET} covers {@code HEAD} too
     * @param pathPattern an exact path ({@code /api/v1/users/me}, with or without a trailing
     *                    slash), or a prefix ending in {@code *} ({@code /api/v1/products/*},
     *                    {@code /api/v1/orders*})
     */
    public record ProtectedCall(String method, String pathPattern) {
        public ProtectedCall {
            if (method == null || !(method.equals("*") || method.matches("[A-Z]+"))) {
                throw new IllegalArgumentException("protected call method must be * or an upper-case HTTP method, was " + method);
            }
            if (pathPattern == null || !pathPattern.startsWith("/") || pathPattern.indexOf('*') != pathPattern.lastIndexOf('*')
                    || (pathPattern.contains("*") && !pathPattern.endsWith("*"))) {
                throw new IllegalArgumentException("protected call path must start with '/' and may only end in '*', was "
                        + pathPattern);
            }
        }

        boolean matches(String requestMethod, String path) {
            return methodMatches(requestMethod) && pathMatches(path);
        }

        private boolean methodMatches(String requestMethod) {
            return method.equals("*") || method.equals(requestMethod) || (method.equals("GET") && requestMethod.equals("HEAD"));
        }

        private boolean pathMatches(String path) {
            if (pathPattern.endsWith("*")) {
                return path.regionMatches(0, pathPattern, 0, pathPattern.length() - 1);
            }
            return path.equals(pathPattern) || (path.length() == pathPattern.length() + 1 && path.endsWith("/")
                    && path.startsWith(pathPattern));
        }
    }
}
