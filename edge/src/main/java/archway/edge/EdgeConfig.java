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
 * @param origin            where {@code /api/...} is forwarded (the gateway, or any HTTP origin)
 * @param webBucket         the object-storage bucket holding the storefront
 * @param cacheMaxBytes     the memory the HTTP cache may hold, bodies and headers
 * @param maxCacheableBytes the largest response body the cache stores; larger ones pass through
 * @param upstreamTimeout   the longest wait for the origin's complete answer ({@code 504} after)
 * @param maxBodyBytes      the largest request body forwarded; larger ones get {@code 413} at the edge
 */
public record EdgeConfig(String host, int port, URI origin, String webBucket, long cacheMaxBytes, long maxCacheableBytes,
                         Duration upstreamTimeout, long maxBodyBytes) {

    public static final String DEFAULT_WEB_BUCKET = "web";
    public static final long DEFAULT_CACHE_MAX_BYTES = 64L * 1024 * 1024;
    public static final long DEFAULT_MAX_CACHEABLE_BYTES = 1024 * 1024;
    /** Longer than the gateway's, so that the gateway's own, more precise answer arrives first. */
    public static final Duration DEFAULT_UPSTREAM_TIMEOUT = Duration.ofSeconds(15);
    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

    public EdgeConfig {
        ConfigCheck.host("edge.host", host);
        ConfigCheck.port("edge.port", port);
        ConfigCheck.origin("edge.origin", origin);
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

    /** The edge of the default run, in front of {@code origin}, with the default bucket, cache and timeout. */
    public static EdgeConfig of(String host, int port, URI origin) {
        return new EdgeConfig(host, port, origin, DEFAULT_WEB_BUCKET, DEFAULT_CACHE_MAX_BYTES, DEFAULT_MAX_CACHEABLE_BYTES,
                DEFAULT_UPSTREAM_TIMEOUT, DEFAULT_MAX_BODY_BYTES);
    }

    public EdgeConfig withWebBucket(String bucket) {
        return new EdgeConfig(host, port, origin, bucket, cacheMaxBytes, maxCacheableBytes, upstreamTimeout, maxBodyBytes);
    }

    public EdgeConfig withCache(long maxBytes, long maxCacheable) {
        return new EdgeConfig(host, port, origin, webBucket, maxBytes, maxCacheable, upstreamTimeout, maxBodyBytes);
    }

    public EdgeConfig withMaxBodyBytes(long bytes) {
        return new EdgeConfig(host, port, origin, webBucket, cacheMaxBytes, maxCacheableBytes, upstreamTimeout, bytes);
    }

    public EdgeConfig withUpstreamTimeout(Duration timeout) {
        return new EdgeConfig(host, port, origin, webBucket, cacheMaxBytes, maxCacheableBytes, timeout, maxBodyBytes);
    }
}
