package archway.gateway;

import archway.gateway.limits.LimitPolicy;
import archway.platform.tier.ConfigCheck;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Settings of the API gateway, checked at start.
 *
 * @param host            the address to bind
 * @param port            the port to bind, {@code 0} for any free one
 * @param routes          the route table: what each path prefix is forwarded to and how it is guarded
 * @param allowedOrigins  browser origins allowed to call the API cross-origin ({@code https://shop.example.com});
 *                        empty: same-origin only
 * @param maxBodyBytes    the largest request body forwarded; larger ones get {@code 413}
 * @param upstreamTimeout the longest wait for an upstream's complete answer on a route without its own
 *                        {@code timeout_ms} ({@code 504} after)
 * @param trustedProxies  the addresses of proxies in front of the gateway (the edge) whose
 *                        {@code X-Forwarded-For} is believed when rate limiting by address; a
 *                        direct peer not listed here is the client, whatever it claims
 */
public record GatewayConfig(String host, int port, List<Route> routes, List<String> allowedOrigins, long maxBodyBytes,
                            Duration upstreamTimeout, List<String> trustedProxies) {

    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    /** Longer than the balancer's 5 s, so that a retried request still fits and the balancer's own answer arrives. */
    public static final Duration DEFAULT_UPSTREAM_TIMEOUT = Duration.ofSeconds(12);
    /** The edge of the default run reaches the gateway over loopback. */
    public static final List<String> LOOPBACK = List.of("127.0.0.1", "::1");
    /** The route table of the default run, on the classpath. */
    public static final String DEFAULT_ROUTE_TABLE = "/archway/gateway/routes.json";
    /** Every upstream name the default route table uses. */
    public static final Set<String> DEFAULT_UPSTREAM_NAMES = Set.of("app", "catalog");

    public GatewayConfig {
        ConfigCheck.host("gateway.host", host);
        ConfigCheck.port("gateway.port", port);
        routes = List.copyOf(ConfigCheck.notEmpty("gateway.routes", routes));
        if (routes.stream().map(Route::pathPrefix).distinct().count() != routes.size()) {
            throw new IllegalArgumentException("gateway.routes must not repeat a path prefix, was "
                    + routes.stream().map(Route::pathPrefix).toList());
        }
        if (routes.stream().map(Route::name).distinct().count() != routes.size()) {
            throw new IllegalArgumentException("gateway.routes must not repeat a route name, was "
                    + routes.stream().map(Route::name).toList());
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
        if (trustedProxies == null) {
            throw new IllegalArgumentException("gateway.trustedProxies must be a list (possibly empty), was null");
        }
        trustedProxies = trustedProxies.stream().map(GatewayConfig::ipLiteral).toList();
    }

    /**
     * The gateway of the default run: the default route table ({@link #DEFAULT_ROUTE_TABLE})
     * with every upstream name sent to {@code upstream} (the balancer), behind a proxy on
     * loopback (the edge).
     */
    public static GatewayConfig of(String host, int port, URI upstream) {
        Map<String, URI> upstreams = DEFAULT_UPSTREAM_NAMES.stream().collect(Collectors.toMap(Function.identity(), n -> upstream));
        try (InputStream table = GatewayConfig.class.getResourceAsStream(DEFAULT_ROUTE_TABLE)) {
            if (table == null) {
                throw new IllegalStateException("the default route table " + DEFAULT_ROUTE_TABLE + " is missing from the classpath");
            }
            return load(host, port, table, upstreams);
        } catch (IOException e) {
            throw new UncheckedIOException("the default route table cannot be read", e);
        }
    }

    /**
     * A gateway with the route table in {@code routeTable} (JSON, see {@code docs/api.md}),
     * whose routes name their upstreams among {@code upstreams}, with the other settings at
     * their defaults.
     *
     * @throws IllegalArgumentException naming the route and the field when the table is wrong
     */
    public static GatewayConfig load(String host, int port, InputStream routeTable, Map<String, URI> upstreams) {
        return new GatewayConfig(host, port, RouteTable.parse(routeTable, upstreams), List.of(), DEFAULT_MAX_BODY_BYTES,
                DEFAULT_UPSTREAM_TIMEOUT, LOOPBACK);
    }

    public GatewayConfig withRoutes(List<Route> newRoutes) {
        return new GatewayConfig(host, port, newRoutes, allowedOrigins, maxBodyBytes, upstreamTimeout, trustedProxies);
    }

    public GatewayConfig withAllowedOrigins(List<String> origins) {
        return new GatewayConfig(host, port, routes, origins, maxBodyBytes, upstreamTimeout, trustedProxies);
    }

    public GatewayConfig withMaxBodyBytes(long bytes) {
        return new GatewayConfig(host, port, routes, allowedOrigins, bytes, upstreamTimeout, trustedProxies);
    }

    public GatewayConfig withUpstreamTimeout(Duration timeout) {
        return new GatewayConfig(host, port, routes, allowedOrigins, maxBodyBytes, timeout, trustedProxies);
    }

    public GatewayConfig withTrustedProxies(List<String> proxies) {
        return new GatewayConfig(host, port, routes, allowedOrigins, maxBodyBytes, upstreamTimeout, proxies);
    }

    /** The routes, longest prefix first: the most specific route wins. */
    List<Route> routesBySpecificity() {
        return routes.stream().sorted(Comparator.comparingInt((Route r) -> r.pathPrefix().length()).reversed()).toList();
    }

    /** How long {@code route} waits for its upstream. */
    Duration timeoutOf(Route route) {
        return route.timeout().orElse(upstreamTimeout);
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

    /** {@code address} in its canonical form, when it is an IP address literal (never looked up). */
    static String ipLiteral(String address) {
        String bare = address == null ? "" : address.strip();
        if (bare.startsWith("[") && bare.endsWith("]")) {
            bare = bare.substring(1, bare.length() - 1);
        }
        if (bare.isEmpty() || !bare.matches("[0-9A-Fa-f:.]+") || !(bare.contains(".") || bare.contains(":"))) {
            throw new IllegalArgumentException("gateway.trustedProxies entries must be IP addresses such as 127.0.0.1 or ::1, was '"
                    + address + "'");
        }
        try {
            // a literal of digits, dots and colons is parsed, never resolved
            return InetAddress.getByName(bare).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("gateway.trustedProxies entries must be IP addresses such as 127.0.0.1 or ::1, was '"
                    + address + "'", e);
        }
    }

    /**
     * One entry of the route table: requests whose path is {@code pathPrefix} or below it go
     * to {@code upstream} (the client's path is kept), guarded as its fields say.
     *
     * @param name           names the route in metrics, rate-limit buckets and messages
     * @param pathPrefix     a path prefix matched on segment boundaries: {@code /api/v1/orders}
     *                       takes {@code /api/v1/orders} and {@code /api/v1/orders/7}, not
     *                       {@code /api/v1/ordersx}; a prefix ending in {@code /} takes what is below it
     * @param upstream       where its requests go
     * @param methods        the methods it takes ({@code GET} brings {@code HEAD}); others get {@code 405} with {@code Allow}
     * @param authenticated  calls that need a valid Bearer token
     * @param admin          calls that need a Bearer token with the {@code admin} role
     * @param rateLimit      the buckets of anonymous callers and users (API keys use their plan)
     * @param cache          whether its answers may be kept in the gateway's response cache
     * @param deprecation    whether the route is deprecated, and in favour of what
     * @param timeout        its own upstream timeout, when not the gateway's
     * @param circuitBreaker when its upstream is given a rest
     */
    public record Route(String name, String pathPrefix, URI upstream, Set<String> methods, List<ProtectedCall> authenticated,
                        List<ProtectedCall> admin, RateLimits rateLimit, Optional<Caching> cache,
                        Optional<Deprecation> deprecation, Optional<Duration> timeout, BreakerSettings circuitBreaker) {

        /** What a route takes when its table entry says nothing about methods. */
        public static final Set<String> DEFAULT_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

        public Route {
            if (name == null || !name.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
                throw new IllegalArgumentException("gateway route name must be 1-64 lower-case letters, digits, '-' or '_', was "
                        + name);
            }
            if (pathPrefix == null || !pathPrefix.startsWith("/") || pathPrefix.contains("*") || pathPrefix.contains("//")) {
                throw new IllegalArgumentException("gateway route '" + name + "': path must start with '/' and hold no '*',"
                        + " was " + pathPrefix);
            }
            ConfigCheck.origin("gateway route '" + name + "': upstream", upstream);
            methods = withHeadForGet(methods, name);
            authenticated = within(authenticated, pathPrefix, name, "authenticated");
            admin = within(admin, pathPrefix, name, "admin");
            require(rateLimit, name, "rate_limit");
            require(cache, name, "cache");
            require(deprecation, name, "deprecation");
            require(timeout, name, "timeout_ms");
            timeout.ifPresent(t -> ConfigCheck.positive("gateway route '" + name + "': timeout_ms", t));
            require(circuitBreaker, name, "circuit_breaker");
        }

        /** A route to {@code upstream} with every setting at its default: all methods, no token needed, not cached. */
        public static Route of(String name, String pathPrefix, URI upstream) {
            return new Route(name, pathPrefix, upstream, DEFAULT_METHODS, List.of(), List.of(), RateLimits.DEFAULT,
                    Optional.empty(), Optional.empty(), Optional.empty(), BreakerSettings.DEFAULT);
        }

        /** Whether {@code path} (decoded and normalized) belongs to this route. */
        boolean takes(String path) {
            if (!path.startsWith(pathPrefix)) {
                return false;
            }
            return path.length() == pathPrefix.length() || pathPrefix.endsWith("/") || path.charAt(pathPrefix.length()) == '/';
        }

        /** Whether a call needs a user's Bearer token on this route. */
        boolean needsUser(String method, String path) {
            return matchesAny(authenticated, method, path) || isAdminCall(method, path);
        }

        /** Whether a call needs the {@code admin} role on this route. */
        boolean isAdminCall(String method, String path) {
            return matchesAny(admin, method, path);
        }

        private static boolean matchesAny(List<ProtectedCall> calls, String method, String path) {
            for (ProtectedCall call : calls) {
                if (call.matches(method, path)) {
                    return true;
                }
            }
            return false;
        }

        private static Set<String> withHeadForGet(Set<String> methods, String name) {
            if (methods == null || methods.isEmpty()) {
                throw new IllegalArgumentException("gateway route '" + name + "': methods must list at least one method, was "
                        + methods);
            }
            Set<String> all = new LinkedHashSet<>();
            for (String method : methods) {
                if (method == null || !method.matches("[A-Z]{1,20}")) {
                    throw new IllegalArgumentException("gateway route '" + name + "': methods must be upper-case HTTP methods, was "
                            + method);
                }
                all.add(method);
                if (method.equals("GET")) {
                    all.add("HEAD");
                }
            }
            return Set.copyOf(all);
        }

        private static List<ProtectedCall> within(List<ProtectedCall> calls, String pathPrefix, String name, String field) {
            List<ProtectedCall> copy = List.copyOf(calls == null ? List.of() : calls);
            String base = pathPrefix.endsWith("/") ? pathPrefix.substring(0, pathPrefix.length() - 1) : pathPrefix;
            for (ProtectedCall call : copy) {
                if (!call.pathPattern().startsWith(base)) {
                    throw new IllegalArgumentException("gateway route '" + name + "': " + field + " call " + call.method() + " "
                            + call.pathPattern() + " is outside the route's path " + pathPrefix + ", so it would never match");
                }
            }
            return copy;
        }

        private static void require(Object value, String name, String field) {
            if (value == null) {
                throw new IllegalArgumentException("gateway route '" + name + "': " + field + " must be set, was null");
            }
        }
    }

    /**
     * A route's rate limits by who calls.
     *
     * @param perAddress one bucket per client address, for anonymous callers
     * @param perUser    one bucket per user, for callers with a valid Bearer token
     */
    public record RateLimits(LimitPolicy perAddress, LimitPolicy perUser) {

        /**
         * High enough that the load generator (one address, a few thousand requests per
         * second) and the test suites are never throttled; a route that needs to be strict
         * (sign-in, sign-up) says so in the table.
         */
        public static final RateLimits DEFAULT = new RateLimits(LimitPolicy.of(5000, 10000), LimitPolicy.of(5000, 10000));

        public RateLimits {
            if (perAddress == null || perUser == null) {
                throw new IllegalArgumentException("a route's rate limits need per_address and per_user policies");
            }
        }
    }

    /**
     * A cacheable route.
     *
     * @param isPublic whether a request with credentials ({@code Authorization}, {@code X-Api-Key})
     *                 may be answered from, and fill, the shared entries: true only where the
     *                 answer is the same for everyone (a public catalogue)
     */
    public record Caching(boolean isPublic) {
    }

    /**
     * A deprecated route (RFC 9745 {@code Deprecation}, RFC 8594 {@code Sunset}).
     *
     * @param deprecatedAt since when it is deprecated
     * @param sunset       when it will stop answering, if announced
     * @param successor    the path of what replaces it, if anything
     */
    public record Deprecation(Instant deprecatedAt, Optional<Instant> sunset, Optional<String> successor) {
        public Deprecation {
            if (deprecatedAt == null || sunset == null || successor == null) {
                throw new IllegalArgumentException("a deprecation needs deprecated_at");
            }
            if (sunset.isPresent() && sunset.get().isBefore(deprecatedAt)) {
                throw new IllegalArgumentException("a route's sunset " + sunset.get() + " must not be before its deprecation "
                        + deprecatedAt);
            }
            if (successor.isPresent() && !successor.get().startsWith("/")) {
                throw new IllegalArgumentException("a deprecated route's successor must be a path starting with '/', was "
                        + successor.get());
            }
        }
    }

    /**
     * When a route's circuit opens: once at least {@code minimumCalls} of the last
     * {@code windowCalls} calls were made and {@code failureRatePercent} of them failed
     * (no answer, or a {@code 5xx}), calls are refused with {@code 503} for {@code open};
     * then {@link #HALF_OPEN_CALLS} trial calls decide whether it closes again.
     */
    public record BreakerSettings(int failureRatePercent, int windowCalls, int minimumCalls, Duration open) {

        public static final int HALF_OPEN_CALLS = 3;
        public static final BreakerSettings DEFAULT = new BreakerSettings(50, 50, 20, Duration.ofSeconds(10));

        public BreakerSettings {
            if (failureRatePercent < 1 || failureRatePercent > 100) {
                throw new IllegalArgumentException("circuit_breaker.failure_rate_percent must be 1-100, was " + failureRatePercent);
            }
            if (windowCalls < 1) {
                throw new IllegalArgumentException("circuit_breaker.window_calls must be positive, was " + windowCalls);
            }
            if (minimumCalls < 1 || minimumCalls > windowCalls) {
                throw new IllegalArgumentException("circuit_breaker.minimum_calls must be 1 to window_calls (" + windowCalls
                        + "), was " + minimumCalls);
            }
            ConfigCheck.positive("circuit_breaker.open_seconds", open);
        }
    }

    /**
     * A call that needs a valid Bearer token (or, in a route's {@code admin} list, an admin's).
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

        /** A call written as in the route table: {@code "GET /api/v1/users/me"}. */
        static ProtectedCall parse(String call) {
            String[] parts = call == null ? new String[0] : call.strip().split("\\s+");
            if (parts.length != 2) {
                throw new IllegalArgumentException("a call must be '<METHOD> <path>' such as 'GET /api/v1/users/me', was '"
                        + call + "'");
            }
            return new ProtectedCall(parts[0], parts[1]);
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
