package archway.balancer;

import java.util.Locale;

/**
 * Which pool takes the requests for a host and a path prefix.
 *
 * <p>The host is matched case-insensitively without the port, exactly ({@code shop.example.com})
 * or by a leading wildcard ({@code *.example.com}, which matches {@code a.example.com} and
 * {@code a.b.example.com} but not {@code example.com}); {@code null} matches any host. The
 * prefix matches whole path segments: {@code /api} matches {@code /api} and {@code /api/v1},
 * not {@code /apis}.
 *
 * @param host       the host to match, {@code *.suffix}, or {@code null} for any
 * @param pathPrefix the path prefix to match, starting with {@code /}
 * @param pool       the name of the pool that takes matching requests
 */
public record Route(String host, String pathPrefix, String pool) {

    public Route {
        if (host != null) {
            String name = host.startsWith("*.") ? host.substring(2) : host;
            if (name.isEmpty() || !name.matches("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*")) {
                throw new IllegalArgumentException("balancer.routes host must be a host name or *.domain (no port), was '" + host + "'");
            }
            host = host.toLowerCase(Locale.ROOT);
        }
        if (pathPrefix == null || !pathPrefix.startsWith("/")) {
            throw new IllegalArgumentException("balancer.routes pathPrefix must start with '/', was " + pathPrefix);
        }
        if (pool == null || pool.isBlank()) {
            throw new IllegalArgumentException("balancer.routes pool must name a pool, was " + pool);
        }
    }

    /** Every request, whatever its host and path, to {@code pool}. */
    public static Route all(String pool) {
        return new Route(null, "/", pool);
    }

    /** Requests under {@code pathPrefix}, on any host, to {@code pool}. */
    public static Route path(String pathPrefix, String pool) {
        return new Route(null, pathPrefix, pool);
    }

    boolean matches(String requestHost, String path) {
        return matchesHost(requestHost) && matchesPath(path);
    }

    private boolean matchesHost(String requestHost) {
        if (host == null) {
            return true;
        }
        if (requestHost == null) {
            return false;
        }
        if (host.startsWith("*.")) {
            String suffix = host.substring(1);
            return requestHost.length() > suffix.length()
                    && requestHost.regionMatches(true, requestHost.length() - suffix.length(), suffix, 0, suffix.length());
        }
        return host.equalsIgnoreCase(requestHost);
    }

    private boolean matchesPath(String path) {
        if (!path.startsWith(pathPrefix)) {
            return false;
        }
        return pathPrefix.endsWith("/") || path.length() == pathPrefix.length() || path.charAt(pathPrefix.length()) == '/';
    }

    /**
     * Higher is more specific: an exact host over a wildcard (a longer wildcard over a
     * shorter), a wildcard over any host; then a longer prefix over a shorter.
     */
    long specificity() {
        long hostRank = host == null ? 0 : host.startsWith("*.") ? 1 + host.length() : 1_000;
        return hostRank * 100_000 + pathPrefix.length();
    }
}
