package archway.edge;

import archway.objects.ObjectStore;
import archway.platform.telemetry.Telemetry;
import archway.platform.tier.BodyLimit;
import archway.platform.tier.ForwardedHeaders;
import archway.platform.tier.Forwarder;
import archway.platform.tier.TierServer;
import archway.platform.tier.Upstreams;
import archway.platform.tier.cache.CachePolicy;
import archway.platform.tier.cache.HttpCache;
import archway.platform.tier.cache.Purge;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.Handler;

/**
 * The diagram's EDGE: the CDN in front of everything, and the public entry.
 *
 * <p>In {@link EdgeConfig.Mode#STORE} (the system's edge), {@code /api/...} is forwarded to
 * the origin (the gateway) and every other path is the storefront, from object storage. In
 * {@link EdgeConfig.Mode#PROXY} every request, whatever its path or method, is forwarded to
 * the origin, as a CDN in front of any site. Either way everything goes through one shared
 * HTTP cache, so a hit ends here ({@code X-Cache: HIT}) whichever origin the answer came
 * from, and text is gzipped inside it (see {@link TextCompression}). The edge is the first
 * hop, so it replaces whatever {@code X-Forwarded-*} a client sent with what it saw. The
 * gateway sees the client's {@code Host}; a proxied origin gets its own name as {@code Host}
 * and the client's in {@code X-Forwarded-Host}.
 */
public final class Edge implements AutoCloseable {

    private final TierServer server;
    private final HttpCache cache;
    private final ExecutorService storageReads;

    private Edge(TierServer server, HttpCache cache, ExecutorService storageReads) {
        this.server = server;
        this.cache = cache;
        this.storageReads = storageReads;
    }

    /** Starts the edge of the store ({@link EdgeConfig.Mode#STORE}); {@code objects} holds the storefront in the configured bucket. */
    public static Edge start(EdgeConfig config, ObjectStore objects, Telemetry telemetry) {
        return start(config, objects, telemetry, Ticker.systemTicker());
    }

    /**
     * Starts a caching reverse proxy in front of the configured origin.
     *
     * @throws IllegalArgumentException when {@code config} is not {@link EdgeConfig.Mode#PROXY}
     */
    public static Edge start(EdgeConfig config, Telemetry telemetry) {
        if (config.mode() != EdgeConfig.Mode.PROXY) {
            throw new IllegalArgumentException("an edge without object storage must be a proxy (edge.mode PROXY), was "
                    + config.mode());
        }
        return start(config, null, telemetry, Ticker.systemTicker());
    }

    /** As {@link #start(EdgeConfig, ObjectStore, Telemetry)}, with the cache's time source (tests move it). */
    static Edge start(EdgeConfig config, ObjectStore objects, Telemetry telemetry, Ticker ticker) {
        boolean store = config.mode() == EdgeConfig.Mode.STORE;
        if (store) {
            Objects.requireNonNull(objects, "the edge of the store needs the object store holding the storefront");
        }
        ExecutorService storageReads = Executors.newVirtualThreadPerTaskExecutor();
        Forwarder forwarder = new Forwarder(telemetry, Upstreams.fixed(config.originRoot()),
                Forwarder.Settings.of(config.upstreamTimeout(), ForwardedHeaders.SET));
        if (!store) {
            // an origin anywhere may host many sites by name (and its TLS certificate names
            // itself): it gets its own name, the client's arrives as X-Forwarded-Host
            forwarder.setProxyToServerHost(config.originRoot().getRawAuthority());
        }
        Handler toOrigin = config.originPathPrefix().isEmpty() ? forwarder : new OriginPath(config.originPathPrefix(), forwarder);
        BodyLimit forwarded = new BodyLimit(config.maxBodyBytes(),
                Counter.builder("edge.rejections").tag("reason", "too_large").register(telemetry.registry()), toOrigin);
        Handler origins = store ? new Origins(forwarded, new Storefront(objects, config.webBucket(), storageReads)) : forwarded;
        // every request may use the cache, as at a CDN: which answers to requests with
        // Authorization a shared cache may keep and reuse is RFC 9111's rule (section 3.5), the cache's business
        HttpCache cache = new HttpCache("edge", config.cacheMaxBytes(), (int) config.maxCacheableBytes(),
                CachePolicy.everyRequest(), ticker, telemetry.registry(), HttpCache.Settings.outermost(),
                new TextCompression(origins));
        try {
            // the store's edge answers its own /health, /ready and /metrics; a proxy's paths all
            // belong to its origin (its admin listener serves those three)
            TierServer server = store
                    ? TierServer.start(config.host(), config.port(), telemetry, () -> true, cache)
                    : TierServer.startWithoutLocalEndpoints(config.host(), config.port(), telemetry, cache);
            return new Edge(server, cache, storageReads);
        } catch (RuntimeException e) {
            storageReads.close();
            throw e;
        }
    }

    public int port() {
        return server.port();
    }

    public String url() {
        return server.url();
    }

    /** Drops what {@code purge} names from the cache; returns how many entries were dropped. */
    public int purge(Purge purge) {
        return cache.purge(purge);
    }

    /**
     * Drops the cached answers of one URL, its path and query as clients send them
     * ({@code /api/v1/products/1}, {@code /search?q=tea}); returns how many entries went
     * ({@code 0} when none was cached).
     */
    public int purge(String url) {
        return cache.purge(url);
    }

    /** Drops every cached answer the origin tagged {@code tag} (its {@code Surrogate-Key}); returns how many. */
    public int purgeTag(String tag) {
        return cache.purgeTag(tag);
    }

    /** Empties the cache; returns how many entries went. */
    public int purgeAll() {
        return cache.purgeAll();
    }

    @Override
    public void close() {
        server.close();
        storageReads.close();
    }

    @Override
    public String toString() {
        return "edge at " + url();
    }
}
