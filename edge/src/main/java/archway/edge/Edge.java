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
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The diagram's EDGE: the CDN in front of everything, and the public entry.
 *
 * <p>{@code /api/...} is forwarded to the origin (the gateway); every other path is the
 * storefront, from object storage. Both go through one shared HTTP cache, so a hit ends
 * here ({@code X-Cache: HIT}) whichever origin the answer came from. The edge is the
 * first hop, so it replaces whatever {@code X-Forwarded-*} a client sent with what it saw.
 */
public final class Edge implements AutoCloseable {

    private final TierServer server;
    private final ExecutorService storageReads;

    private Edge(TierServer server, ExecutorService storageReads) {
        this.server = server;
        this.storageReads = storageReads;
    }

    /** Starts the edge; {@code objects} holds the storefront in the configured bucket. */
    public static Edge start(EdgeConfig config, ObjectStore objects, Telemetry telemetry) {
        return start(config, objects, telemetry, Ticker.systemTicker());
    }

    /** As {@link #start(EdgeConfig, ObjectStore, Telemetry)}, with the cache's time source (tests move it). */
    static Edge start(EdgeConfig config, ObjectStore objects, Telemetry telemetry, Ticker ticker) {
        ExecutorService storageReads = Executors.newVirtualThreadPerTaskExecutor();
        Forwarder api = new Forwarder(telemetry, Upstreams.fixed(config.origin()),
                Forwarder.Settings.of(config.upstreamTimeout(), ForwardedHeaders.SET));
        BodyLimit limitedApi = new BodyLimit(config.maxBodyBytes(),
                Counter.builder("edge.rejections").tag("reason", "too_large").register(telemetry.registry()), api);
        Origins origins = new Origins(limitedApi, new Storefront(objects, config.webBucket(), storageReads));
        HttpCache cache = new HttpCache("edge", config.cacheMaxBytes(), (int) config.maxCacheableBytes(),
                CachePolicy.everyRequest(), ticker, telemetry.registry(), HttpCache.Settings.outermost(), origins);
        try {
            return new Edge(TierServer.start(config.host(), config.port(), telemetry, () -> true, cache), storageReads);
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
