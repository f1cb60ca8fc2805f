package archway.platform.tier.cache;

import static archway.platform.tier.cache.CacheClock.NANOS_PER_SECOND;

import archway.platform.problem.Problem;
import archway.platform.tier.ConfigCheck;
import archway.platform.tier.HeadersAtCommit;
import archway.platform.tier.Problems;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A shared HTTP cache (RFC 9111) in front of whatever handler it wraps: the edge puts it
 * before its storefront and the forwarded API, the gateway before its forwarder. Where the
 * RFC leaves a choice, it takes the one that serves more from storage without serving what
 * it must not.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Who may use it.</b> {@code GET} and {@code HEAD} requests its {@link CachePolicy}
 *       admits; everything else, and a request with {@code Cache-Control: no-store}, is
 *       {@code X-Cache: BYPASS}. A request with {@code Authorization} is only answered from,
 *       and only fills, entries whose answer says {@code public}, {@code s-maxage} or
 *       {@code must-revalidate} (RFC 9111, section 3.5), whatever the policy says: a policy
 *       can only restrict further. Such a request that is neither answered from storage nor
 *       fills it is {@code BYPASS}.</li>
 *   <li><b>What is stored.</b> A complete answer to a {@code GET} (not {@code 206}, not
 *       {@code 304}) without {@code no-store}, {@code private} (with field names or not: the
 *       whole answer), {@code Set-Cookie} (one user's cookie must never reach another) or
 *       {@code Vary: *}, not larger than the largest cacheable body (larger ones stream
 *       through, never buffered whole), and of some use: fresh, or revalidatable (an
 *       {@code ETag} or {@code Last-Modified}), or usable stale on an error. Any status with
 *       an explicit lifetime; the heuristically cacheable ones (RFC 9110, section 15.1) and
 *       {@code public} answers also without. {@code no-cache} (field names or not) is stored
 *       and revalidated before every use.</li>
 *   <li><b>Keys.</b> The primary key is the path and query as sent ({@code HEAD} shares
 *       {@code GET}'s); each key holds up to {@link Variants#MAX} variants, selected by the
 *       normalized values of the request headers {@code Vary} names ({@link Vary}:
 *       {@code Accept-Encoding} reduced to whether {@code gzip} is accepted). An encoded answer
 *       varies on {@code Accept-Encoding} whether it says so or not.</li>
 *   <li><b>Freshness</b> (RFC 9111, section 4.2): {@code s-maxage}, else {@code max-age},
 *       else {@code Expires} minus {@code Date}, else a tenth of the time since
 *       {@code Last-Modified}, at most a day; the age is the corrected initial age plus the
 *       time held, sent as {@code Age}. Conflicting or malformed directives are read the most
 *       restrictive way ({@link CacheControl}), never rejected. Wall-clock dates are compared
 *       with a clock derived from the injected {@link Ticker} ({@link CacheClock}).</li>
 *   <li><b>Request directives.</b> {@code no-cache}, {@code Pragma: no-cache} and
 *       {@code max-age=0} revalidate; {@code max-age}, {@code min-fresh}, {@code max-stale}
 *       bound what is served; {@code only-if-cached} answers {@code 504} when nothing usable
 *       is stored; {@code stale-if-error} widens the error fallback.</li>
 *   <li><b>Revalidation.</b> A stale (or {@code no-cache}) entry with validators is asked for
 *       with {@code If-None-Match} / {@code If-Modified-Since} (the client's own
 *       conditionals are not sent then: the cache answers them itself). A {@code 304}
 *       refreshes the entry's headers and lifetime and the client gets the stored answer
 *       ({@code HIT}, or {@code 304} when its conditional matches); a full answer replaces
 *       the entry ({@code MISS}). A client's conditional against a usable entry is answered
 *       here; on a miss, the origin is asked without it, so that the full answer is stored,
 *       and the client gets a {@code 304} when its conditional matches that answer.</li>
 *   <li><b>Stale use.</b> Never for {@code must-revalidate}, {@code proxy-revalidate},
 *       {@code s-maxage} or {@code no-cache}. Within {@code stale-while-revalidate} the entry
 *       is served at once ({@code STALE}) and refreshed behind it, one refresh per key at a
 *       time. The background refresh reuses the request that found the entry stale: its
 *       client has its whole answer at once, and its exchange (so, on HTTP/1.1, its
 *       connection's next request) ends when the refresh lands. Within
 *       {@code stale-if-error} (the answer's or the request's), an origin {@code 500},
 *       {@code 502}, {@code 503}, {@code 504} or failure to answer (unreachable, timed out) is
 *       replaced by the stale entry ({@code STALE}). Entries are therefore kept past their
 *       lifetime: for their stale windows, and for {@link Settings#retainForRevalidation()}
 *       (with validators, or when stale use is allowed); the byte bound evicts them first
 *       anyway.</li>
 *   <li><b>Coalescing.</b> Concurrent plain misses for one URL make one trip to the origin;
 *       the others wait without a thread and are served from the entry when it lands
 *       ({@code HIT}; counted in {@code cache.coalesced}). If the answer was not stored, or
 *       not their variant, or the wait exceeds {@link Settings#coalescingWait()}, they go to
 *       the origin themselves; a URL whose answer was not storable is not coalesced for
 *       {@link Settings#hitForPass()} (Varnish's hit-for-pass).</li>
 *   <li><b>Purges win.</b> A fill that started before a purge or an invalidation stores
 *       nothing: what it fetched may be what was purged.</li>
 *   <li><b>Writes invalidate.</b> A {@code POST}, {@code PUT}, {@code PATCH} or
 *       {@code DELETE} answered without an error drops every variant of its URL and of the
 *       same-host URLs in its {@code Location} and {@code Content-Location} (RFC 9111,
 *       section 4.4).</li>
 *   <li><b>Surrogate keys.</b> {@code Surrogate-Key} tags are stored with the entry for
 *       {@link #purgeTag}. The edge strips {@code Surrogate-Key} and {@code Surrogate-Control}
 *       from what clients get; the gateway passes them on to the edge behind it
 *       ({@link Settings#passSurrogateHeaders()}).</li>
 *   <li><b>The hit path</b> is one hash lookup, a variant check, header references copied,
 *       an {@code Age} computed and one write of a prepared direct buffer: no parsing, no
 *       copying of the body, no lock, nothing that blocks. Everything else above happens
 *       only for requests with directives or entries that are not fresh.</li>
 *   <li><b>Size.</b> Weighed in bytes (bodies plus headers), bounded by the configured
 *       maximum; the in-flight and refresh maps hold only running requests, the
 *       hit-for-pass memory is bounded, and tags live in the entries (nothing to leak when
 *       Caffeine drops one).</li>
 * </ul>
 *
 * <p>Metrics ({@code <component>.cache.}): {@code requests{result=hit|miss|stale|bypass}},
 * {@code bytes}, {@code entries} (stored variants), {@code evictions} (by size),
 * {@code hit.ratio} (hits and stale answers over all looked-up requests),
 * {@code coalesced}, {@code revalidations{result=not_modified|replaced|error}},
 * {@code purges} (purge calls).
 */
public final class HttpCache extends Handler.Wrapper {

    static final PreEncodedHttpField BYPASS = new PreEncodedHttpField("X-Cache", "BYPASS");

    /**
     * How the cache treats what it passes on and how long it keeps what it may need again.
     *
     * @param passSurrogateHeaders  whether clients get {@code Surrogate-Key} and {@code Surrogate-Control} (true for a
     *                              cache with another cache in front of it)
     * @param retainForRevalidation how long past its freshness an entry is kept, to be revalidated rather than fetched
     *                              again (one with validators) or served to a request's {@code max-stale}
     * @param coalescingWait        the longest a request waits for another's trip to the origin before going itself
     * @param hitForPass            how long a URL whose answer was not storable is not coalesced
     */
    public record Settings(boolean passSurrogateHeaders, Duration retainForRevalidation, Duration coalescingWait,
                           Duration hitForPass) {

        public Settings {
            ConfigCheck.positive("cache.retainForRevalidation", retainForRevalidation);
            ConfigCheck.positive("cache.coalescingWait", coalescingWait);
            ConfigCheck.positive("cache.hitForPass", hitForPass);
        }

        /** Surrogate headers passed on, one hour of retention for revalidation, ten seconds of coalescing wait and of hit-for-pass. */
        public static final Settings DEFAULTS = new Settings(true, Duration.ofHours(1), Duration.ofSeconds(10),
                Duration.ofSeconds(10));

        /** The settings of the last cache before clients: surrogate headers stripped. */
        public static Settings outermost() {
            return DEFAULTS.withSurrogateHeaders(false);
        }

        public Settings withSurrogateHeaders(boolean pass) {
            return new Settings(pass, retainForRevalidation, coalescingWait, hitForPass);
        }

        public Settings withCoalescingWait(Duration wait) {
            return new Settings(passSurrogateHeaders, retainForRevalidation, wait, hitForPass);
        }
    }

    private enum Use { FRESH, STALE, BACKGROUND, FETCH }

    private final Cache<String, Variants> entries;
    private final Cache<String, Boolean> passes;
    private final Map<String, Flight> flights = new ConcurrentHashMap<>();
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
    /** Counts purges and invalidations: a fill that started before one does not store what it fetched. */
    private final AtomicLong generation = new AtomicLong();
    private final CacheClock clock;
    private final int maxCacheableBytes;
    private final CachePolicy policy;
    private final Settings settings;
    private final Counter hits;
    private final Counter misses;
    private final Counter stales;
    private final Counter bypasses;
    private final Counter coalesced;
    private final Counter purges;
    private final Counter evictions;
    private final MeterRegistry registry;
    private final String component;

    /** As the full constructor, with {@link Settings#DEFAULTS}. */
    public HttpCache(String component, long maxBytes, int maxCacheableBytes, CachePolicy policy, Ticker ticker,
                     MeterRegistry registry, Handler next) {
        this(component, maxBytes, maxCacheableBytes, policy, ticker, registry, Settings.DEFAULTS, next);
    }

    /**
     * A cache of at most {@code maxBytes} (bodies and headers) in front of {@code next}.
     *
     * @param component         names its metrics: {@code <component>.cache.*} (see the class notes)
     * @param maxCacheableBytes the largest body stored; larger ones pass through
     * @param policy            which requests may read and fill it (RFC 9111's rules still apply)
     * @param ticker            the time source of freshness (tests move it)
     */
    public HttpCache(String component, long maxBytes, int maxCacheableBytes, CachePolicy policy, Ticker ticker,
                     MeterRegistry registry, Settings settings, Handler next) {
        super(next);
        this.clock = new CacheClock(ticker);
        this.maxCacheableBytes = maxCacheableBytes;
        this.policy = policy;
        this.settings = settings;
        this.registry = registry;
        this.component = component;
        this.evictions = Counter.builder(component + ".cache.evictions").description("entries dropped to stay within the size bound")
                .register(registry);
        this.entries = Caffeine.newBuilder()
                .ticker(ticker)
                .maximumWeight(maxBytes)
                .weigher((String key, Variants variants) -> variants.weight() + 2 * key.length())
                .expireAfter(Expiry.writing((String key, Variants variants) ->
                        Duration.ofNanos(Math.max(0, variants.retainUntilNanos() - ticker.read()))))
                .evictionListener((String key, Variants variants, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE && variants != null) {
                        evictions.increment(variants.entries().length);
                    }
                })
                .build();
        this.passes = Caffeine.newBuilder().ticker(ticker).maximumSize(10_000).expireAfterWrite(settings.hitForPass()).build();
        this.hits = counter("hit");
        this.misses = counter("miss");
        this.stales = counter("stale");
        this.bypasses = counter("bypass");
        this.coalesced = Counter.builder(component + ".cache.coalesced").description("requests that waited for another's fetch")
                .register(registry);
        this.purges = Counter.builder(component + ".cache.purges").description("purge calls").register(registry);
        Gauge.builder(component + ".cache.bytes", entries, cache -> cache.policy().eviction().orElseThrow().weightedSize().orElse(0))
                .description("bytes held by the " + component + " cache").register(registry);
        Gauge.builder(component + ".cache.entries", entries, cache -> cache.asMap().values().stream()
                        .mapToInt(variants -> variants.entries().length).sum())
                .description("stored responses (variants) in the " + component + " cache").register(registry);
        Gauge.builder(component + ".cache.hit.ratio", this, HttpCache::hitRatio)
                .description("hits and stale answers over all requests looked up in the " + component + " cache").register(registry);
        for (String result : new String[] {"not_modified", "replaced", "error"}) {
            revalidations(result);
        }
    }

    private Counter counter(String result) {
        return Counter.builder(component + ".cache.requests").tag("result", result).description("requests by cache outcome")
                .register(registry);
    }

    private Counter revalidations(String result) {
        return Counter.builder(component + ".cache.revalidations").tag("result", result)
                .description("trips to the origin for a stored entry, by outcome").register(registry);
    }

    private double hitRatio() {
        double served = hits.count() + stales.count();
        double all = served + misses.count();
        return all == 0 ? 0 : served / all;
    }

    /** Drops what {@code purge} names; returns how many entries (variants) were dropped. */
    public int purge(Purge purge) {
        return switch (purge) {
            case Purge.Url url -> purge(url.pathQuery());
            case Purge.Tag tag -> purgeTag(tag.tag());
            case Purge.All all -> purgeAll();
        };
    }

    /**
     * Drops every stored variant of one URL (its path and query, as requests send it).
     *
     * @return how many entries (variants) were dropped; {@code 0} for a URL the cache does not hold
     */
    public int purge(String pathQuery) {
        purges.increment();
        generation.incrementAndGet();
        Variants dropped = entries.asMap().remove(pathQuery);
        return dropped == null ? 0 : dropped.entries().length;
    }

    /**
     * Drops every entry whose origin named {@code tag} in its {@code Surrogate-Key} header
     * (space-separated keys, as Fastly and Varnish read it).
     *
     * @return how many entries (variants) were dropped; {@code 0} for a tag no entry carries
     */
    public int purgeTag(String tag) {
        purges.increment();
        generation.incrementAndGet();
        int[] dropped = {0};
        for (String key : entries.asMap().keySet()) {
            entries.asMap().computeIfPresent(key, (k, variants) -> {
                Variants kept = variants.without(entry -> entry.isTagged(tag));
                dropped[0] += variants.entries().length - (kept == null ? 0 : kept.entries().length);
                return kept;
            });
        }
        return dropped[0];
    }

    /** Drops every entry; returns how many (variants) there were. */
    public int purgeAll() {
        purges.increment();
        generation.incrementAndGet();
        int held = 0;
        for (Variants variants : entries.asMap().values()) {
            held += variants.entries().length;
        }
        entries.invalidateAll();
        return held;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        if (isUnsafe(method)) {
            bypasses.increment();
            return super.handle(request, new Invalidating(request, response), callback);
        }
        HttpFields headers = request.getHeaders();
        CacheControl directives = CacheControl.ofRequest(headers);
        if (!(HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method)) || directives.noStore() || !policy.mayUse(request)) {
            bypasses.increment();
            return super.handle(request, new Marking(request, response, BYPASS), callback);
        }
        String key = request.getHttpURI().getPathQuery();
        long now = clock.nanos();
        Variants variants = entries.getIfPresent(key);
        CachedResponse entry = variants == null ? null : variants.find(request, headers.contains(HttpHeader.AUTHORIZATION));
        if (entry != null && directives == CacheControl.NONE && entry.isFresh(now)) {
            hits.increment();
            entry.serve(request, response, callback, now, CachedResponse.HIT);
            return true;
        }
        return notFresh(request, response, callback, key, entry, directives, now);
    }

    /** The slower path: directives to weigh, a stale entry, or none. */
    private boolean notFresh(Request request, Response response, Callback callback, String key, CachedResponse entry,
                             CacheControl directives, long now) throws Exception {
        if (entry != null) {
            switch (use(entry, directives, now)) {
                case FRESH -> {
                    hits.increment();
                    entry.serve(request, response, callback, now, CachedResponse.HIT);
                    return true;
                }
                case STALE -> {
                    stales.increment();
                    entry.serve(request, response, callback, now, CachedResponse.STALE);
                    return true;
                }
                case BACKGROUND -> {
                    stales.increment();
                    serveAndRefresh(request, response, callback, key, entry, now);
                    return true;
                }
                case FETCH -> {
                    // to the origin, below
                }
            }
        }
        if (directives.onlyIfCached()) {
            misses.increment();
            Problems.write(new Marking(request, response, CacheFill.MISS), callback,
                    Problem.of(504, "only-if-cached: nothing usable is stored for this request"));
            return true;
        }
        if (HttpMethod.HEAD.is(request.getMethod())) {
            boolean authorized = request.getHeaders().contains(HttpHeader.AUTHORIZATION);
            (authorized ? bypasses : misses).increment();
            return super.handle(request, new Marking(request, response, authorized ? BYPASS : CacheFill.MISS), callback);
        }
        if (entry != null) {
            CacheFill fill = CacheFill.revalidation(this, request, response, callback, key, entry, directives.staleIfError());
            return forward(fill.upstreamRequest(), fill, fill.upstreamCallback());
        }
        if (asksConditionally(request.getHeaders())) {
            CacheFill fill = CacheFill.conditionalMiss(this, request, response, callback, key);
            return forward(fill.upstreamRequest(), fill, fill.upstreamCallback());
        }
        Flight flight = null;
        if (!directives.noCache() && isPlain(request.getHeaders()) && passes.getIfPresent(key) == null) {
            flight = new Flight();
            Flight running = flights.putIfAbsent(key, flight);
            if (running != null) {
                Flight.Waiter waiter = new Flight.Waiter(request, response, callback);
                if (running.join(waiter)) {
                    coalesced.increment();
                    waiter.timeout(request.getComponents().getScheduler().schedule(() -> {
                        if (waiter.claim()) {
                            resume(waiter, key, false);
                        }
                    }, settings.coalescingWait().toMillis(), TimeUnit.MILLISECONDS));
                    return true;
                }
                flight = null; // it landed meanwhile, or is full: go on alone
            }
        }
        CacheFill fill = CacheFill.miss(this, request, response, callback, key, flight);
        return forward(request, fill, fill.upstreamCallback());
    }

    /** How a request may use an entry it selects, by its directives and the entry's age (RFC 9111, sections 4.2 and 5.2.1). */
    private static Use use(CachedResponse entry, CacheControl directives, long now) {
        if (directives.noCache() || directives.maxAge() == 0) {
            return Use.FETCH;
        }
        if (directives.maxAge() > 0 && entry.ageNanos(now) > directives.maxAge() * NANOS_PER_SECOND) {
            return Use.FETCH;
        }
        if (directives.minFresh() >= 0) {
            return entry.freshForNanos(now) >= directives.minFresh() * NANOS_PER_SECOND ? Use.FRESH : Use.FETCH;
        }
        if (entry.isFresh(now)) {
            return Use.FRESH;
        }
        long maxStale = directives.maxStale();
        if (maxStale >= 0 && entry.mayServeStale()
                && (maxStale == Long.MAX_VALUE || entry.stalenessNanos(now) <= maxStale * NANOS_PER_SECOND)) {
            return Use.STALE;
        }
        return entry.mayRevalidateInBackground(now) && directives.maxAge() < 0 ? Use.BACKGROUND : Use.FETCH;
    }

    /** Serves the stale entry now and, when no refresh of the key is running, refreshes it once the answer is written. */
    private void serveAndRefresh(Request request, Response response, Callback callback, String key, CachedResponse entry,
                                 long now) {
        if (!HttpMethod.GET.is(request.getMethod()) || !refreshing.add(key)) {
            entry.serve(request, response, callback, now, CachedResponse.STALE);
            return;
        }
        entry.serve(request, response, Callback.from(() -> {
            fetch(CacheFill.background(this, request, response, callback, key, entry));
        }, failure -> {
            refreshing.remove(key);
            callback.failed(failure);
        }), now, CachedResponse.STALE);
    }

    /** Whether a request sends no conditional of its own (those are passed on, not coalesced). */
    private static boolean isPlain(HttpFields headers) {
        return !headers.contains(HttpHeader.IF_NONE_MATCH) && !headers.contains(HttpHeader.IF_MODIFIED_SINCE)
                && !headers.contains(HttpHeader.IF_RANGE) && !headers.contains(HttpHeader.RANGE);
    }

    /** Whether a request's only conditionals are the ones a cache can answer for a stored {@code GET} (no range, no precondition). */
    private static boolean asksConditionally(HttpFields headers) {
        return (headers.contains(HttpHeader.IF_NONE_MATCH) || headers.contains(HttpHeader.IF_MODIFIED_SINCE))
                && !headers.contains(HttpHeader.RANGE) && !headers.contains(HttpHeader.IF_RANGE)
                && !headers.contains(HttpHeader.IF_MATCH) && !headers.contains(HttpHeader.IF_UNMODIFIED_SINCE);
    }

    /** Answers a waiter: from the entry that landed if it fits, else by its own trip to the origin. */
    private void resume(Flight.Waiter waiter, String key, boolean landed) {
        Request request = waiter.request;
        request.getComponents().getExecutor().execute(() -> {
            long now = clock.nanos();
            Variants variants = entries.getIfPresent(key);
            CachedResponse entry = variants == null ? null
                    : variants.find(request, request.getHeaders().contains(HttpHeader.AUTHORIZATION));
            if (landed && entry != null && entry.isFresh(now)) {
                hits.increment();
                entry.serve(request, waiter.response, waiter.callback, now, CachedResponse.HIT);
                return;
            }
            fetch(CacheFill.miss(this, request, waiter.response, waiter.callback, key, null));
        });
    }

    private boolean forward(Request request, Response response, Callback callback) throws Exception {
        return super.handle(request, response, callback);
    }

    private void forwardLater(Request request, Response response, Callback callback) {
        try {
            if (!super.handle(request, response, callback)) {
                Response.writeError(request, response, callback, 404);
            }
        } catch (Throwable failure) {
            callback.failed(failure);
        }
    }

    /** Sends {@code fill}'s request to the origin's handler, after {@link #handle} has returned. */
    void fetch(CacheFill fill) {
        forwardLater(fill.upstreamRequest(), fill, fill.upstreamCallback());
    }

    // ---- what fills use

    CacheClock clock() {
        return clock;
    }

    int maxCacheableBytes() {
        return maxCacheableBytes;
    }

    long retainForRevalidationNanos() {
        return settings.retainForRevalidation().toNanos();
    }

    boolean stripsSurrogateHeaders() {
        return !settings.passSurrogateHeaders();
    }

    /** The current purge generation, taken when a fill starts. */
    long generation() {
        return generation.get();
    }

    /**
     * Stores {@code entry} as a variant of {@code key}; {@code true} when it was stored, {@code false}
     * when a purge or an invalidation came after the fill started at {@code since} (what it
     * fetched may be what was purged).
     */
    boolean store(String key, CachedResponse entry, long since) {
        if (generation.get() != since) {
            return false;
        }
        long now = clock.nanos();
        entries.asMap().compute(key, (k, current) -> Variants.with(current, entry, now));
        passes.invalidate(key);
        return true;
    }

    /** Drops one stored variant of {@code key}. */
    void drop(String key, CachedResponse entry) {
        entries.asMap().computeIfPresent(key, (k, variants) -> variants.without(stored -> stored == entry));
    }

    /**
     * A miss for {@code key} has ended: its waiters are answered, and a URL whose answer was
     * not storable is not coalesced for a while.
     */
    void land(String key, Flight flight, boolean cacheable) {
        flights.remove(key, flight);
        if (!cacheable) {
            passes.put(key, Boolean.TRUE);
        }
        for (Flight.Waiter waiter : flight.land()) {
            if (waiter.claim()) {
                resume(waiter, key, true);
            }
        }
    }

    /** A background refresh of {@code key} has ended: the next stale request may start another. */
    void refreshed(String key) {
        refreshing.remove(key);
    }

    void revalidated(String result) {
        revalidations(result).increment();
    }

    /** Counts a request that went to the origin by what its client got. */
    void counted(HttpField mark) {
        (mark == CachedResponse.HIT ? hits : mark == CachedResponse.STALE ? stales : mark == BYPASS ? bypasses : misses).increment();
    }

    static boolean isOriginError(int status) {
        return status == 500 || status == 502 || status == 503 || status == 504;
    }

    private static boolean isUnsafe(String method) {
        return HttpMethod.POST.is(method) || HttpMethod.PUT.is(method) || HttpMethod.PATCH.is(method)
                || HttpMethod.DELETE.is(method);
    }

    /** Drops every variant of the URL {@code location} names, when it is on the request's host (RFC 9111, section 4.4). */
    private void invalidate(Request request, String location) {
        if (location == null || location.isBlank()) {
            return;
        }
        try {
            URI base = request.getHttpURI().toURI();
            URI target = base.resolve(location.trim());
            if (target.getHost() != null && base.getHost() != null && !target.getHost().equalsIgnoreCase(base.getHost())) {
                return;
            }
            String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
            entries.invalidate(target.getRawQuery() == null ? path : path + "?" + target.getRawQuery());
        } catch (IllegalArgumentException e) {
            // not a URL: nothing to invalidate
        }
    }

    /** A response passing through with an {@code X-Cache} mark (and without surrogate headers where the cache strips them). */
    private class Marking extends HeadersAtCommit {
        private final HttpField mark;

        Marking(Request request, Response wrapped, HttpField mark) {
            super(request, wrapped);
            this.mark = mark;
        }

        @Override
        protected void atCommit(HttpFields.Mutable headers) {
            headers.put(mark);
            if (stripsSurrogateHeaders()) {
                headers.remove(CachedResponse.SURROGATE_KEY);
                headers.remove(CachedResponse.SURROGATE_CONTROL);
            }
        }
    }

    /** A write passing through: {@code BYPASS}, and the URLs it changed dropped once the origin accepted it. */
    private final class Invalidating extends Marking {

        Invalidating(Request request, Response wrapped) {
            super(request, wrapped, BYPASS);
        }

        @Override
        protected void atCommit(HttpFields.Mutable headers) {
            if (getStatus() < 400) {
                generation.incrementAndGet();
                Request request = getRequest();
                entries.invalidate(request.getHttpURI().getPathQuery());
                invalidate(request, headers.get(HttpHeader.LOCATION));
                invalidate(request, headers.get(HttpHeader.CONTENT_LOCATION));
            }
            super.atCommit(headers);
        }
    }
}
