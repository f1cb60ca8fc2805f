package archway.edge;

import archway.objects.ObjectStore;
import archway.platform.tier.ConfigCheck;
import java.net.URI;
import java.time.Duration;

/**
 * Settings of the edge (the CDN), checked at start.
 *
 * @param host              the address to bind
 * @param port              the port to bind, {@code 0} for any free one
 * @param origin            where requests are forwarded: in {@link Mode#STORE} the gateway, for
 *                          {@code /api/...} (no path); in {@link Mode#PROXY} any HTTP origin, for
 *                          every request, with an optional path prefix put before the client's path
 * @param webBucket         the object-storage bucket holding the storefront ({@link Mode#STORE} only)
 * @param cacheMaxBytes     the memory the HTTP cache may hold, bodies and headers
 * @param maxCacheableBytes the largest response body the cache stores; larger ones pass through
 * @param upstreamTimeout   the longest wait for the origin's complete answer ({@code 504} after)
 * @param maxBodyBytes      the largest request body forwarded; larger ones get {@code 413} at the edge
 * @param mode              what the edge stands in front of
 */
public record EdgeConfig(String host, int port, URI origin, String webBucket, long cacheMaxBytes, long maxCacheableBytes,
                         Duration upstreamTimeout, long maxBodyBytes, Mode mode) {

    public static final String DEFAULT_WEB_BUCKET = "web";
    public static final long DEFAULT_CACHE_MAX_BYTES = 64L * 1024 * 1024;
    public static final long DEFAULT_MAX_CACHEABLE_BYTES = 1024 * 1024;
    /** Longer than the gateway's, so that the gateway's own, more precise answer arrives first. */
    public static final Duration DEFAULT_UPSTREAM_TIMEOUT = Duration.ofSeconds(15);
    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

    /** What the edge stands in front of. */
    public enum Mode {
        /**
         * The store: {@code /api/...} forwarded to the gateway, every other path the
         * storefront from object storage, and only requests without {@code Authorization} use the cache.
         */
        STORE,
        /**
         * A caching reverse proxy in front of any HTTP origin: every path and every method is
         * forwarded, and every request may use the cache (which keeps to RFC 9111's rules on
         * {@code Authorization} itself), as a CDN in front of a customer's site.
         */
        PROXY
    }

    public EdgeConfig {
        ConfigCheck.host("edge.host", host);
        ConfigCheck.port("edge.port", port);
        if (mode == null) {
            throw new IllegalArgumentException("edge.mode must be STORE or PROXY, was null");
        }
        if (mode == Mode.PROXY) {
            checkProxyOrigin(origin);
        } else {
            ConfigCheck.origin("edge.origin", origin);
        }
        try {
            ObjectStore.checkBucket(webBucket);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("edge.webBucket must be 3-63 lower-case letters, digits and hyphens, was '"
                    + webBucket + "'", e);
        }
        ConfigCheck.positive("edge.cacheMaxBytes", cacheMaxBytes);
        ConfigCheck.positive("edge.maxCacheableBytes", maxCacheableBytes);
        if (maxCacheableBytes > cacheMaxBytes || maxCacheableBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("edge.maxCacheableBytes must not exceed edge.cacheMaxBytes (" + cacheMaxBytes
                    + ") nor 2 GiB, was " + maxCacheableBytes);
        }
        ConfigCheck.positive("edge.upstreamTimeout", upstreamTimeout);
        ConfigCheck.positive("edge.maxBodyBytes", maxBodyBytes);
    }

    /** A proxy's origin: {@code http(s)://host[:port]} and an optional path, nothing else. */
    private static void checkProxyOrigin(URI origin) {
        boolean valid = origin != null && origin.getRawQuery() == null && origin.getRawFragment() == null
                && origin.getRawUserInfo() == null && origin.getHost() != null;
        if (valid) {
            try {
                ConfigCheck.origin("edge.origin", root(origin));
            } catch (IllegalArgumentException e) {
                valid = false;
            }
        }
        if (!valid) {
            throw new IllegalArgumentException("edge.origin must be http(s)://host[:port] with an optional path prefix,"
                    + " such as http://127.0.0.1:8081 or https://example.org/shop, was "
                    + (origin == null ? "null" : "'" + origin + "'"));
        }
    }

    private static URI root(URI origin) {
        return URI.create(origin.getScheme() + "://" + origin.getRawAuthority());
    }

    /** The edge of the default run, in front of {@code origin}, with the default bucket, cache and timeout. */
    public static EdgeConfig of(String host, int port, URI origin) {
        return new EdgeConfig(host, port, origin, DEFAULT_WEB_BUCKET, DEFAULT_CACHE_MAX_BYTES, DEFAULT_MAX_CACHEABLE_BYTES,
                DEFAULT_UPSTREAM_TIMEOUT, DEFAULT_MAX_BODY_BYTES, Mode.STORE);
    }

    /** A caching reverse proxy in front of {@code origin} ({@link Mode#PROXY}), with the default cache and timeout. */
    public static EdgeConfig proxy(String host, int port, URI origin) {
        return new EdgeConfig(host, port, origin, DEFAULT_WEB_BUCKET, DEFAULT_CACHE_MAX_BYTES, DEFAULT_MAX_CACHEABLE_BYTES,
                DEFAULT_UPSTREAM_TIMEOUT, DEFAULT_MAX_BODY_BYTES, Mode.PROXY);
    }

    /** The origin's scheme, host and port, where connections go. */
    public URI originRoot() {
        return root(origin);
    }

    /** The origin's path prefix without a trailing slash ({@code ""} when none), put before every forwarded path. */
    public String originPathPrefix() {
        String path = origin.getRawPath();
        if (path == null) {
            return "";
        }
        int end = path.length();
        while (end > 0 && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(0, end);
    }

    public EdgeConfig withWebBucket(String bucket) {
        return new EdgeConfig(host, port, origin, bucket, cacheMaxBytes, maxCacheableBytes, upstreamTimeout, maxBodyBytes, mode);
    }

    public EdgeConfig withCache(long maxBytes, long maxCacheable) {
        return new EdgeConfig(host, port, origin, webBucket, maxBytes, maxCacheable, upstreamTimeout, maxBodyBytes, mode);
    }

    public EdgeConfig withMaxBodyBytes(long bytes) {
        return new EdgeConfig(host, port, origin, webBucket, cacheMaxBytes, maxCacheableBytes, upstreamTimeout, bytes, mode);
    }

    public EdgeConfig withUpstreamTimeout(Duration timeout) {
        return new EdgeConfig(host, port, origin, webBucket, cacheMaxBytes, maxCacheableBytes, timeout, maxBodyBytes, mode);
    }
}
