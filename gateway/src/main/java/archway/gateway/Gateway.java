package archway.gateway;

import archway.gateway.keys.ApiKeyAuthenticator;
import archway.gateway.limits.RateLimiter;
import archway.platform.auth.TokenVerifier;
import archway.platform.telemetry.Telemetry;
import archway.platform.tier.BodyLimit;
import archway.platform.tier.ForwardedHeaders;
import archway.platform.tier.Forwarder;
import archway.platform.tier.TierServer;
import archway.platform.tier.cache.HttpCache;
import archway.platform.tier.cache.Purge;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;

/**
 * The diagram's GATEWAY: the API's front door behind the edge, driven by a route table
 * ({@link GatewayConfig}, {@code routes.json}).
 *
 * <p>In order, each request meets:
 * <ol>
 *   <li><b>CORS</b> ({@link Cors}): preflights of allowed origins answered here, never {@code *};</li>
 *   <li><b>hygiene</b> ({@link Hygiene}): internal {@code X-Archway-*} and hop-by-hop headers
 *       stripped both ways, no banners, {@code nosniff} on every answer;</li>
 *   <li><b>routing</b> ({@link Routing}): longest path prefix ({@code 404} outside every
 *       route), allowed methods ({@code 405} with {@code Allow}), the route's timeout;</li>
 *   <li><b>authentication</b> ({@link Authentication}): Bearer tokens and {@code X-Api-Key}
 *       ({@code 401} with {@code WWW-Authenticate});</li>
 *   <li><b>authorization</b> ({@link Authorization}): admin calls need the {@code admin} role ({@code 403});</li>
 *   <li><b>rate limiting</b> ({@link RateLimiting}): a bucket per route and caller,
 *       {@code RateLimit-*} headers, {@code 429} with {@code Retry-After};</li>
 *   <li><b>versioning</b> ({@link Versioning}): {@code Deprecation}, {@code Sunset} and a
 *       successor {@code Link} on deprecated routes;</li>
 *   <li><b>response cache</b> ({@link HttpCache}, shared with the edge): routes configured as
 *       cacheable ({@link RouteCachePolicy});</li>
 *   <li><b>body limit</b> ({@link BodyLimit}): {@code 413} above the limit;</li>
 *   <li><b>forwarder</b> ({@link Forwarder}): {@code X-Forwarded-For/-Proto/-Host} appended,
 *       {@code 504} past the route's timeout, each route's upstream behind its circuit breaker
 *       ({@link RouteUpstreams}, {@code 503} with {@code Retry-After} while open).</li>
 * </ol>
 * Oversized request headers ({@code 431}) and URIs ({@code 414}) are refused by the server
 * before any of these, as problem documents too.
 */
public final class Gateway implements AutoCloseable {

    /** The memory the response cache may hold, bodies and headers. */
    public static final long CACHE_MAX_BYTES = 32L * 1024 * 1024;
    /** The largest answer the response cache keeps. */
    public static final int MAX_CACHEABLE_BYTES = 1024 * 1024;

    private final TierServer server;
    private final HttpCache cache;

    private Gateway(TierServer server, HttpCache cache) {
        this.server = server;
        this.cache = cache;
    }

    /**
     * Starts the gateway.
     *
     * @param verifier checks Bearer tokens
     * @param apiKeys  knows the machine clients' API keys
     * @param limiter  keeps the rate-limit buckets
     */
    public static Gateway start(GatewayConfig config, TokenVerifier verifier, ApiKeyAuthenticator apiKeys, RateLimiter limiter,
                                Telemetry telemetry) {
        return start(config, verifier, apiKeys, limiter, telemetry, Clock.systemUTC());
    }

    /** As the public {@code start}, with the circuit breakers' clock (tests move it). */
    static Gateway start(GatewayConfig config, TokenVerifier verifier, ApiKeyAuthenticator apiKeys, RateLimiter limiter,
                         Telemetry telemetry, Clock clock) {
        var registry = telemetry.registry();
        Forwarder forwarder = new Forwarder(telemetry, new RouteUpstreams(config.routes(), clock, registry),
                Forwarder.Settings.of(config.upstreamTimeout(), ForwardedHeaders.APPEND));
        HttpCache cache = new HttpCache("gateway", CACHE_MAX_BYTES, MAX_CACHEABLE_BYTES, new RouteCachePolicy(),
                Ticker.systemTicker(), registry,
                new BodyLimit(config.maxBodyBytes(), Routing.rejections(registry, "too_large"), forwarder));
        var handlers = new Cors(config.allowedOrigins(), registry,
                new Hygiene(
                        new Routing(config, registry,
                                new Authentication(verifier, apiKeys, registry,
                                        new Authorization(registry,
                                                new RateLimiting(limiter, new ClientAddress(config.trustedProxies()), registry,
                                                        new Versioning(config.routes(), cache)))))));
        return new Gateway(TierServer.start(config.host(), config.port(), telemetry, () -> true, handlers), cache);
    }

    /** Drops what {@code purge} names from the response cache; returns how many entries were dropped. */
    public int purge(Purge purge) {
        return cache.purge(purge);
    }

    /** Drops the response cache's entries of one URL (path and query); returns how many. */
    public int purge(String pathQuery) {
        return cache.purge(pathQuery);
    }

    /** Drops the response cache's entries the origin tagged {@code tag} ({@code Surrogate-Key}); returns how many. */
    public int purgeTag(String tag) {
        return cache.purgeTag(tag);
    }

    /** Drops every entry of the response cache; returns how many there were. */
    public int purgeAll() {
        return cache.purgeAll();
    }

    public int port() {
        return server.port();
    }

    public String url() {
        return server.url();
    }

    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return "gateway at " + url();
    }
}
