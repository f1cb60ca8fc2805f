package archway.platform.tier.cache;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One trip to the origin on the cache's behalf: the response the origin's answer is written
 * to. The origin's status and headers are held back until its first write (or its end, for
 * an answer without a body); then the fill decides, from them, what the client gets:
 * <ul>
 *   <li>the answer itself, marked {@code X-Cache: MISS}, streamed on while a copy of a
 *       storable one is kept and stored once whole: when its declared length is reached or
 *       its last piece is written (a last piece is only written for an answer that arrived
 *       whole, so a truncated answer is never stored), before that piece goes to the client,
 *       so the client's next request finds it;</li>
 *   <li>for a revalidation the cache asked for, a {@code 304}: nothing of it; the stored
 *       entry is refreshed and served ({@code HIT});</li>
 *   <li>an origin error ({@code 500}, {@code 502}, {@code 503}, {@code 504}, or no answer)
 *       while {@code stale-if-error} covers the stale entry: the entry ({@code STALE});</li>
 *   <li>for a background refresh ({@code stale-while-revalidate}), whose client already has
 *       its answer: nothing; the client's exchange ends when the refresh has.</li>
 * </ul>
 * A copy is never larger than the largest cacheable body: a larger answer streams through
 * and the copy is dropped.
 */
final class CacheFill extends Response.Wrapper {

    static final PreEncodedHttpField MISS = new PreEncodedHttpField("X-Cache", "MISS");
    private static final Set<HttpHeader> CONDITIONALS = Set.of(HttpHeader.IF_NONE_MATCH, HttpHeader.IF_MODIFIED_SINCE,
            HttpHeader.IF_MATCH, HttpHeader.IF_UNMODIFIED_SINCE, HttpHeader.IF_RANGE);

    /** The answer goes to the client; the client gets nothing of it; the client gets a {@code 304} of it. */
    private enum Mode { PASS, HOLD, NOT_MODIFIED }

    private final HttpCache cache;
    private final String key;
    private final Callback clientCallback;
    private final CachedResponse stale;
    private final boolean conditional;
    private final boolean background;
    private final boolean answersConditionals;
    private final Flight flight;
    private final long requestStaleIfError;
    private final long requestNanos;
    private final long generation;
    private final HttpFields.Mutable held = HttpFields.build();
    private int heldStatus = 200;
    private Mode mode;
    private long responseNanos;
    private boolean notModified;
    private boolean serveStale;
    private byte[] copy;
    private int size;
    private long declared = -1;
    private boolean stored;
    private boolean cacheable;
    private boolean lastWritten;
    private boolean clientAnswered;
    private boolean counted;

    private CacheFill(HttpCache cache, Request request, Response response, Callback clientCallback, String key,
                      CachedResponse stale, boolean background, Flight flight, long requestStaleIfError,
                      boolean answersConditionals) {
        super(request, response);
        this.cache = cache;
        this.key = key;
        this.clientCallback = clientCallback;
        this.stale = stale;
        this.conditional = stale != null && stale.hasValidator() && HttpMethod.GET.is(request.getMethod());
        this.background = background;
        this.answersConditionals = answersConditionals;
        this.flight = flight;
        this.requestStaleIfError = requestStaleIfError;
        this.requestNanos = cache.clock().nanos();
        this.generation = cache.generation();
    }

    /** A miss: the origin's answer goes to the client and is stored if it may be; {@code flight}'s waiters are released at its end. */
    static CacheFill miss(HttpCache cache, Request request, Response response, Callback callback, String key, Flight flight) {
        return new CacheFill(cache, request, response, callback, key, null, false, flight, -1, false);
    }

    /**
     * A miss for a request with its own {@code If-None-Match} / {@code If-Modified-Since}: the
     * origin is asked without them, so that the full answer can be stored, and the client gets
     * a {@code 304} when its conditional matches that answer.
     */
    static CacheFill conditionalMiss(HttpCache cache, Request request, Response response, Callback callback, String key) {
        return new CacheFill(cache, request, response, callback, key, null, false, null, -1, true);
    }

    /** A trip for a stale entry (or one the request wants revalidated): conditional when it has validators, with it to fall back on. */
    static CacheFill revalidation(HttpCache cache, Request request, Response response, Callback callback, String key,
                                  CachedResponse stale, long requestStaleIfError) {
        return new CacheFill(cache, request, response, callback, key, stale, false, null, requestStaleIfError, false);
    }

    /** A refresh after the client was answered from the stale entry; {@code callback} is the client's, completed at its end. */
    static CacheFill background(HttpCache cache, Request request, Response response, Callback callback, String key,
                                CachedResponse stale) {
        return new CacheFill(cache, request, response, callback, key, stale, true, null, -1, false);
    }

    /** The request sent upstream: without the client's conditionals when the cache revalidates, with the entry's validators. */
    Request upstreamRequest() {
        Request request = getRequest();
        if (stale == null && !answersConditionals) {
            return request;
        }
        HttpFields.Mutable headers = HttpFields.build(request.getHeaders());
        for (HttpHeader header : CONDITIONALS) {
            headers.remove(header);
        }
        if (conditional && stale.etag() != null) {
            headers.put(HttpHeader.IF_NONE_MATCH, stale.etag());
        }
        if (conditional && stale.lastModified() != null) {
            headers.put(HttpHeader.IF_MODIFIED_SINCE, stale.lastModified());
        }
        HttpFields upstream = headers.asImmutable();
        return new Request.Wrapper(request) {
            @Override
            public HttpFields getHeaders() {
                return upstream;
            }
        };
    }

    /** The callback to give the origin's handler: it ends the fill. */
    Callback upstreamCallback() {
        return Callback.from(() -> ended(null), this::ended);
    }

    @Override
    public HttpFields.Mutable getHeaders() {
        return mode == Mode.PASS ? super.getHeaders() : held;
    }

    @Override
    public int getStatus() {
        return mode == Mode.PASS ? super.getStatus() : heldStatus;
    }

    @Override
    public void setStatus(int code) {
        if (mode == Mode.PASS) {
            super.setStatus(code);
        } else {
            heldStatus = code;
        }
    }

    @Override
    public boolean isCommitted() {
        return mode == Mode.PASS ? super.isCommitted() : mode != null;
    }

    @Override
    public boolean hasLastWrite() {
        return mode == Mode.PASS ? super.hasLastWrite() : lastWritten;
    }

    @Override
    public void reset() {
        if (mode == null) {
            held.clear();
            heldStatus = 200;
        } else if (mode == Mode.PASS) {
            super.reset();
        }
    }

    @Override
    public CompletableFuture<Void> writeInterim(int status, HttpFields headers) {
        return mode == Mode.PASS ? super.writeInterim(status, headers) : CompletableFuture.completedFuture(null);
    }

    @Override
    public void write(boolean last, ByteBuffer content, Callback callback) {
        if (mode == null) {
            decide();
        }
        keep(last, content);
        if (mode == Mode.PASS) {
            super.write(last, content, callback);
        } else if (mode == Mode.NOT_MODIFIED && !clientAnswered) {
            clientAnswered = true;
            lastWritten |= last;
            super.write(true, null, callback); // the client's 304; the rest of the body is only kept
        } else {
            lastWritten |= last;
            callback.succeeded();
        }
    }

    /** Decides, once the origin's status and headers are known, what the client gets (see the class notes). */
    private void decide() {
        responseNanos = cache.clock().nanos();
        int status = heldStatus;
        if (conditional && status == 304) {
            notModified = true;
            mode = Mode.HOLD;
            return;
        }
        if (stale != null && HttpCache.isOriginError(status) && stale.mayServeOnError(responseNanos, requestStaleIfError)) {
            serveStale = true;
            mode = Mode.HOLD;
            return;
        }
        if (isStorable(status, held)) {
            declared = held.getLongField(HttpHeader.CONTENT_LENGTH);
            copy = new byte[(int) (declared >= 0 ? declared : Math.min(8192, cache.maxCacheableBytes()))];
        }
        if (background) {
            mode = Mode.HOLD;
            return;
        }
        boolean clientHasIt = answersConditionals && status == 200
                && CachedResponse.isNotModified(getRequest().getHeaders(), held.get(HttpHeader.ETAG), held.get(HttpHeader.LAST_MODIFIED));
        mode = clientHasIt ? Mode.NOT_MODIFIED : Mode.PASS;
        Response client = getWrapped();
        HttpFields.Mutable out = client.getHeaders();
        Set<String> seen = new HashSet<>();
        for (HttpField field : held) {
            if (cache.stripsSurrogateHeaders() && CachedResponse.isSurrogate(field)) {
                continue;
            }
            if (seen.add(field.getLowerCaseName())) {
                out.put(field); // replaces the server's own Date, as the forwarder's copy would
            } else {
                out.add(field);
            }
        }
        client.setStatus(clientHasIt ? 304 : status);
        if (clientHasIt) {
            out.remove(HttpHeader.CONTENT_LENGTH);
        }
        // a request with credentials whose answer is not kept did not use the cache at all
        HttpField mark = getRequest().getHeaders().contains(HttpHeader.AUTHORIZATION) && copy == null ? HttpCache.BYPASS : MISS;
        out.put(mark);
        count(mark);
    }

    private boolean isStorable(int status, HttpFields headers) {
        if (status < 200 || status == 206 || status == 304 || status >= 600 || !HttpMethod.GET.is(getRequest().getMethod())) {
            return false;
        }
        CacheControl directives = CacheControl.of(headers);
        if (directives.noStore() || directives.isPrivate() || headers.contains(HttpHeader.SET_COOKIE) || Vary.isAny(headers)
                || !CachedResponse.mayHaveLifetime(status, headers, directives)) {
            return false;
        }
        if (getRequest().getHeaders().contains(HttpHeader.AUTHORIZATION) && !directives.allowsAuthorized()) {
            return false; // RFC 9111, section 3.5, whatever the cache's policy admitted
        }
        long declared;
        try {
            declared = headers.getLongField(HttpHeader.CONTENT_LENGTH);
        } catch (NumberFormatException e) {
            return false;
        }
        return declared <= cache.maxCacheableBytes();
    }

    private void keep(boolean last, ByteBuffer content) {
        if (copy == null) {
            return;
        }
        int n = content == null ? 0 : content.remaining();
        if (size + (long) n > cache.maxCacheableBytes()) {
            copy = null; // too large after all: let it pass, uncached
            return;
        }
        if (size + n > copy.length) {
            copy = Arrays.copyOf(copy, (int) Math.min(cache.maxCacheableBytes(), Math.max(2L * copy.length, size + n)));
        }
        if (n > 0) {
            content.get(content.position(), copy, size, n);
            size += n;
        }
        if (last || size == declared) {
            // whole: stored before the piece that completes it reaches the client, so its next request finds it
            store();
        }
    }

    private void store() {
        byte[] body = copy;
        copy = null;
        CachedResponse.Builder timing = timing();
        timing.status = heldStatus;
        timing.varyNames = Vary.namesOf(held);
        timing.varyValues = Vary.valuesOf(getRequest().getHeaders(), timing.varyNames);
        CachedResponse entry = timing.build(held, ByteBuffer.wrap(body, 0, size));
        cacheable = entry != null;
        stored = cacheable && cache.store(key, entry, generation);
    }

    private CachedResponse.Builder timing() {
        CachedResponse.Builder timing = new CachedResponse.Builder();
        timing.requestNanos = requestNanos;
        timing.responseNanos = responseNanos;
        timing.responseWallMillis = cache.clock().wallMillis(responseNanos);
        timing.retainForRevalidationNanos = cache.retainForRevalidationNanos();
        timing.stripSurrogate = cache.stripsSurrogateHeaders();
        return timing;
    }

    private void ended(Throwable failure) {
        if (failure == null && mode == null) {
            decide(); // an answer without a body
        }
        if (failure == null && copy != null && (declared < 0 || size == declared)) {
            store();
        }
        copy = null;
        if (flight != null) {
            cache.land(key, flight, cacheable);
        }
        if (background) {
            cache.refreshed(key);
        }
        Request request = getRequest();
        Response client = getWrapped();
        long now = cache.clock().nanos();
        if (notModified) {
            if (stale.isValidatedBy(held)) {
                CachedResponse refreshed = stale.refreshedBy(held, timing());
                cache.revalidated("not_modified");
                if (refreshed != null) {
                    cache.store(key, refreshed, generation);
                }
                answer(request, client, refreshed != null ? refreshed : stale, now, CachedResponse.HIT);
            } else {
                // a 304 for another representation than the stored one: it is out of date; ask again plainly
                cache.revalidated("replaced");
                cache.drop(key, stale);
                if (!background) {
                    cache.fetch(CacheFill.miss(cache, request, client, clientCallback, key, null));
                } else {
                    clientCallback.succeeded();
                }
            }
            return;
        }
        boolean failedWithoutAnswer = failure != null && mode == null;
        boolean originFailed = serveStale || failedWithoutAnswer || HttpCache.isOriginError(heldStatus);
        if (stale != null) {
            cache.revalidated(originFailed ? "error" : "replaced");
            if (!originFailed && !stored) {
                cache.drop(key, stale); // the origin's new answer may not be stored: neither may its old one be used
            }
        }
        if (background) {
            clientCallback.succeeded();
        } else if (serveStale || (failedWithoutAnswer && stale != null && stale.mayServeOnError(now, requestStaleIfError))) {
            answer(request, client, stale, now, CachedResponse.STALE);
        } else {
            count(MISS);
            if (failure != null) {
                clientCallback.failed(failure);
            } else {
                clientCallback.succeeded();
            }
        }
    }

    /** Counts what the client got, once; a background refresh's client was counted when it was answered. */
    private void count(HttpField mark) {
        if (!background && !counted) {
            counted = true;
            cache.counted(mark);
        }
    }

    private void answer(Request request, Response client, CachedResponse entry, long now, HttpField mark) {
        if (background) {
            clientCallback.succeeded();
            return;
        }
        count(mark);
        entry.serve(request, client, clientCallback, now, mark);
    }
}
