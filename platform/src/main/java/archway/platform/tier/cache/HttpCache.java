package archway.platform.tier.cache;

import archway.platform.tier.HeadersAtCommit;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A shared HTTP cache (RFC 9111, the parts a CDN or an API gateway in front of an API
 * needs), in front of whatever handler it wraps: the edge puts it before its storefront and
 * the forwarded API, the gateway before its forwarder.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Who may use it.</b> Only a {@code GET} its {@link CachePolicy} admits: at the
 *       edge, one without {@code Authorization}, so a request that may carry one user's data
 *       never reads or fills a shared entry; at the gateway, one on a route configured as
 *       cacheable. Everything else, and a request with {@code Cache-Control: no-store}, is
 *       {@code X-Cache: BYPASS}. A request with {@code no-cache} or {@code max-age=0} (a
 *       browser's reload) goes to the origin and refreshes the entry.</li>
 *   <li><b>Writes invalidate.</b> A successful {@code POST}, {@code PUT}, {@code PATCH} or
 *       {@code DELETE} drops the entry of its own URL (RFC 9111, section 4.4), so an edited
 *       product is not served stale from here. Other URLs showing it (lists) stay until they
 *       expire.</li>
 *   <li><b>What is stored.</b> See {@link CacheFill}. The key is the path and query as sent;
 *       an entry remembers the request's values of the headers its {@code Vary} names, and a
 *       request with other values is a miss that replaces it (one variant per URL: a little
 *       churn, never a wrong variant).</li>
 *   <li><b>Freshness.</b> {@code s-maxage}, else {@code max-age}, minus the {@code Age} the
 *       origin's answer had; Caffeine expires the entry then (variable expiry on the injected
 *       {@link Ticker}), so a stale entry is never found, let alone served.</li>
 *   <li><b>The hit path</b> is one hash lookup, a variant check, header references copied,
 *       an {@code Age} computed and one write of a prepared direct buffer: no parsing, no
 *       copying of the body, no lock, nothing that blocks.</li>
 *   <li><b>Size.</b> Weighed in bytes (body plus headers), bounded by the configured maximum.</li>
 * </ul>
 */
public final class HttpCache extends Handler.Wrapper {

    private static final PreEncodedHttpField BYPASS = new PreEncodedHttpField("X-Cache", "BYPASS");

    private final Cache<String, CachedResponse> entries;
    private final Ticker ticker;
    private final int maxCacheableBytes;
    private final CachePolicy policy;
    private final Counter hits;
    private final Counter misses;
    private final Counter bypasses;

    /**
     * A cache of at most {@code maxBytes} (bodies and headers) in front of {@code next}.
     *
     * @param component         names its metrics: {@code <component>.cache.requests} by result and {@code <component>.cache.bytes}
     * @param maxCacheableBytes the largest body stored; larger ones pass through
     * @param policy            which requests may read and fill it
     * @param ticker            the time source of freshness (tests move it)
     */
    public HttpCache(String component, long maxBytes, int maxCacheableBytes, CachePolicy policy, Ticker ticker,
                     MeterRegistry registry, Handler next) {
        super(next);
        this.ticker = ticker;
        this.maxCacheableBytes = maxCacheableBytes;
        this.policy = policy;
        this.entries = Caffeine.newBuilder()
                .ticker(ticker)
                .maximumWeight(maxBytes)
                .weigher((String key, CachedResponse entry) -> entry.weight() + 2 * key.length())
                .expireAfter(Expiry.writing((String key, CachedResponse entry) -> Duration.ofNanos(entry.freshForNanos(ticker.read()))))
                .build();
        this.hits = counter(registry, component, "hit");
        this.misses = counter(registry, component, "miss");
        this.bypasses = counter(registry, component, "bypass");
        Gauge.builder(component + ".cache.bytes", entries, cache -> cache.policy().eviction().orElseThrow().weightedSize().orElse(0))
                .description("bytes held by the " + component + " cache").register(registry);
    }

    /**
     * Drops every stored variant of one URL (its path and query, as requests send it).
     *
     * @return how many entries were dropped; {@code 0} for a URL the cache does not hold
     */
    public int purge(String pathQuery) {
        return entries.asMap().remove(pathQuery) == null ? 0 : 1;
    }

    /**
     * Drops every entry whose origin named {@code tag} in its {@code Surrogate-Key} header
     * (space-separated keys, as Fastly and Varnish read it).
     *
     * @return how many entries were dropped; {@code 0} for a tag no entry carries
     */
    public int purgeTag(String tag) {
        int[] dropped = {0};
        entries.asMap().values().removeIf(entry -> {
            boolean tagged = entry.isTagged(tag);
            if (tagged) {
                dropped[0]++;
            }
            return tagged;
        });
        return dropped[0];
    }

    /** Drops every entry; returns how many there were. */
    public int purgeAll() {
        int held = (int) entries.estimatedSize();
        entries.invalidateAll();
        return held;
    }

    private static Counter counter(MeterRegistry registry, String component, String result) {
        return Counter.builder(component + ".cache.requests").tag("result", result).description("requests by cache outcome")
                .register(registry);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        HttpFields headers = request.getHeaders();
        String requestDirectives = headers.get(HttpHeader.CACHE_CONTROL);
        String key = request.getHttpURI().getPathQuery();
        if (isUnsafe(request.getMethod())) {
            bypasses.increment();
            return super.handle(request, new Invalidating(request, response, key), callback);
        }
        if (!HttpMethod.GET.is(request.getMethod()) || !policy.mayUse(request)
                || (requestDirectives != null && requestDirectives.contains("no-store"))) {
            bypasses.increment();
            return super.handle(request, HeadersAtCommit.putting(request, response, BYPASS), callback);
        }
        if (requestDirectives == null || !wantsFreshAnswer(headers)) {
            CachedResponse cached = entries.getIfPresent(key);
            if (cached != null && cached.fits(request)) {
                hits.increment();
                cached.serve(request, response, callback, ticker.read());
                return true;
            }
        }
        misses.increment();
        return super.handle(request, new CacheFill(request, response, key, entries, ticker, maxCacheableBytes), callback);
    }

    private static boolean isUnsafe(String method) {
        return HttpMethod.POST.is(method) || HttpMethod.PUT.is(method) || HttpMethod.PATCH.is(method)
                || HttpMethod.DELETE.is(method);
    }

    private static boolean wantsFreshAnswer(HttpFields headers) {
        CacheControl directives = CacheControl.of(headers);
        return directives.noCache() || directives.maxAge() == 0;
    }

    /** A write passing through: {@code BYPASS}, and its URL's entry dropped once the origin accepted it. */
    private final class Invalidating extends HeadersAtCommit {
        private final String key;

        Invalidating(Request request, Response wrapped, String key) {
            super(request, wrapped);
            this.key = key;
        }

        @Override
        protected void atCommit(HttpFields.Mutable headers) {
            headers.put(BYPASS);
            if (getStatus() < 400) {
                entries.invalidate(key);
            }
        }
    }
}
