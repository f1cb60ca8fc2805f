package archway.platform.tier.cache;

import static archway.platform.tier.cache.CacheClock.NANOS_PER_SECOND;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.eclipse.jetty.http.DateParser;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A stored answer, ready to be replayed: everything that does not change between hits
 * (headers, {@code Content-Length}, the body in a direct buffer, the freshness arithmetic's
 * constants) is prepared when it is stored, so a hit only copies header references,
 * computes {@code Age} and writes.
 *
 * <p>Times are on the cache's ticker, in nanoseconds. The age follows RFC 9111, section
 * 4.2.3: the corrected initial age is the larger of the apparent age ({@code Date} to
 * arrival) and the origin's {@code Age} plus the time the request took; the current age
 * adds the time since arrival.
 */
final class CachedResponse {

    static final PreEncodedHttpField HIT = new PreEncodedHttpField("X-Cache", "HIT");
    static final PreEncodedHttpField STALE = new PreEncodedHttpField("X-Cache", "STALE");
    /** The origin's tags of a response, for purges by tag. */
    static final String SURROGATE_KEY = "Surrogate-Key";
    static final String SURROGATE_CONTROL = "Surrogate-Control";
    /** The statuses a cache may give a heuristic lifetime (RFC 9110, section 15.1). */
    private static final Set<Integer> HEURISTIC = Set.of(200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501);
    private static final long MAX_HEURISTIC_SECONDS = 86_400;
    /** Headers that belong to one response or one connection, never replayed from the cache. */
    private static final Set<HttpHeader> NOT_STORED = EnumSet.of(HttpHeader.DATE, HttpHeader.AGE, HttpHeader.CONTENT_LENGTH,
            HttpHeader.SET_COOKIE, HttpHeader.TRANSFER_ENCODING, HttpHeader.CONNECTION, HttpHeader.KEEP_ALIVE,
            HttpHeader.PROXY_CONNECTION, HttpHeader.TE, HttpHeader.TRAILER, HttpHeader.UPGRADE);
    private static final Set<String> NOT_STORED_NAMES = Set.of("x-request-id", "x-cache");
    /**
     * What an entry costs beyond its body and header text, measured with a class histogram of
     * a full edge cache (about 2.4 KiB of heap per entry: the buffer's wrappers and cleaner,
     * the pre-encoded fields, the variant list, Caffeine's node): without it the configured
     * size bounds the bytes of the answers, not the memory they take.
     */
    private static final int OVERHEAD_BYTES = 1536;
    /** Each stored header field: its object, its name and value strings and its array slots. */
    private static final int FIELD_BYTES = 96;

    private final int status;
    /** Everything stored, surrogate headers included (a {@code 304}'s headers are merged into these). */
    private final HttpField[] stored;
    /** What clients get: {@link #stored}, without the surrogate headers where the cache strips them. */
    private final HttpField[] replayed;
    private final HttpField date;
    private final HttpField contentLength;
    private final ByteBuffer body;
    private final String etag;
    private final String lastModified;
    private final String contentEncoding;
    private final String[] tags;
    private final String[] varyNames;
    private final String[] varyValues;
    private final long responseNanos;
    private final long initialAgeNanos;
    private final long freshUntilNanos;
    private final long staleWhileRevalidateNanos;
    private final long staleIfErrorNanos;
    private final long retainUntilNanos;
    private final boolean noCache;
    private final boolean forbidsStale;
    private final boolean allowsAuthorized;
    private final int weight;

    private CachedResponse(Builder b, HttpField[] stored, HttpField[] replayed, ByteBuffer body, CacheControl directives,
                           HttpFields headers) {
        this.status = b.status;
        this.stored = stored;
        this.replayed = replayed;
        String dateValue = headers.get(HttpHeader.DATE);
        this.date = dateValue == null ? null : new PreEncodedHttpField(HttpHeader.DATE, dateValue);
        this.contentLength = new PreEncodedHttpField(HttpHeader.CONTENT_LENGTH, Integer.toString(body.remaining()));
        this.body = body;
        this.etag = headers.get(HttpHeader.ETAG);
        this.lastModified = headers.get(HttpHeader.LAST_MODIFIED);
        this.contentEncoding = headers.get(HttpHeader.CONTENT_ENCODING);
        this.tags = tagsOf(headers);
        this.varyNames = b.varyNames;
        this.varyValues = b.varyValues;
        this.responseNanos = b.responseNanos;
        this.initialAgeNanos = b.initialAgeNanos;
        this.freshUntilNanos = directives.noCache() ? Long.MIN_VALUE : b.responseNanos + b.lifetimeNanos - b.initialAgeNanos;
        this.forbidsStale = directives.forbidsStale() || directives.noCache();
        this.staleWhileRevalidateNanos = forbidsStale ? 0 : Math.max(0, directives.staleWhileRevalidate()) * NANOS_PER_SECOND;
        this.staleIfErrorNanos = forbidsStale ? 0 : Math.max(0, directives.staleIfError()) * NANOS_PER_SECOND;
        this.noCache = directives.noCache();
        this.allowsAuthorized = directives.allowsAuthorized();
        long staleUse = Math.max(staleWhileRevalidateNanos, staleIfErrorNanos);
        long freshFor = Math.max(0, b.lifetimeNanos - b.initialAgeNanos);
        // kept past freshness to be revalidated, or served to a request's max-stale
        long revalidation = hasValidator() || (!forbidsStale && freshFor > 0) ? b.retainForRevalidationNanos : 0;
        this.retainUntilNanos = b.responseNanos + (directives.noCache() ? 0 : freshFor) + Math.max(staleUse, revalidation);
        int headerBytes = 0;
        for (HttpField field : stored) {
            headerBytes += FIELD_BYTES + field.getName().length() + field.getValue().length();
        }
        this.weight = body.remaining() + headerBytes + OVERHEAD_BYTES;
    }

    /** The facts about one answer from the origin that its entry is built from. */
    static final class Builder {
        int status;
        long requestNanos;
        long responseNanos;
        long responseWallMillis;
        long retainForRevalidationNanos;
        boolean stripSurrogate;
        String[] varyNames;
        String[] varyValues;
        private long initialAgeNanos;
        private long lifetimeNanos;

        /**
         * The entry for an answer with {@code headers} and {@code body}, or {@code null} when it
         * would be of no use (neither fresh, nor revalidatable, nor usable stale on an error).
         */
        CachedResponse build(HttpFields headers, ByteBuffer body) {
            CacheControl directives = CacheControl.of(headers);
            long dateMillis = dateOf(headers, HttpHeader.DATE);
            long apparentAge = dateMillis < 0 ? 0 : Math.max(0, responseWallMillis - dateMillis) * 1_000_000L;
            long correctedAge = ageOf(headers) * NANOS_PER_SECOND + Math.max(0, responseNanos - requestNanos);
            initialAgeNanos = Math.max(apparentAge, correctedAge);
            lifetimeNanos = lifetimeSeconds(status, headers, directives, dateMillis < 0 ? responseWallMillis : dateMillis)
                    * NANOS_PER_SECOND;
            List<HttpField> kept = new ArrayList<>();
            List<HttpField> shown = new ArrayList<>();
            for (HttpField field : headers) {
                if (isStored(field)) {
                    kept.add(field);
                    if (!stripSurrogate || !isSurrogate(field)) {
                        shown.add(field);
                    }
                }
            }
            ByteBuffer direct = body.isDirect() && body.isReadOnly() ? body
                    : ByteBuffer.allocateDirect(body.remaining()).put(body.slice()).flip().asReadOnlyBuffer();
            CachedResponse entry = new CachedResponse(this, kept.toArray(HttpField[]::new), shown.toArray(HttpField[]::new),
                    direct, directives, headers);
            return entry.retainUntilNanos > responseNanos ? entry : null;
        }
    }

    /**
     * The freshness lifetime (RFC 9111, section 4.2.1): {@code s-maxage}, else
     * {@code max-age}, else {@code Expires} minus {@code Date} (an invalid {@code Expires} is
     * in the past), else, for a status that allows it or a {@code public} answer, a tenth of
     * the time since {@code Last-Modified}, at most a day.
     */
    static long lifetimeSeconds(int status, HttpFields headers, CacheControl directives, long dateMillis) {
        if (directives.sMaxAge() >= 0) {
            return directives.sMaxAge();
        }
        if (directives.maxAge() >= 0) {
            return directives.maxAge();
        }
        if (headers.contains(HttpHeader.EXPIRES)) {
            long expires = dateOf(headers, HttpHeader.EXPIRES);
            return expires < 0 ? 0 : Math.max(0, (expires - dateMillis) / 1000);
        }
        long lastModified = dateOf(headers, HttpHeader.LAST_MODIFIED);
        if ((HEURISTIC.contains(status) || directives.isPublic()) && lastModified >= 0 && lastModified < dateMillis) {
            return Math.min(MAX_HEURISTIC_SECONDS, (dateMillis - lastModified) / 10_000);
        }
        return 0;
    }

    /** Whether an answer has an explicit lifetime, or may get a heuristic one (else it is never stored). */
    static boolean mayHaveLifetime(int status, HttpFields headers, CacheControl directives) {
        return directives.sMaxAge() >= 0 || directives.maxAge() >= 0 || headers.contains(HttpHeader.EXPIRES)
                || HEURISTIC.contains(status) || directives.isPublic();
    }

    private static long dateOf(HttpFields headers, HttpHeader header) {
        String value = headers.get(header);
        return value == null ? -1 : DateParser.parseDate(value.trim());
    }

    /** The origin's {@code Age}, in seconds; a malformed one is ignored. */
    private static long ageOf(HttpFields headers) {
        String value = headers.get(HttpHeader.AGE);
        return Math.max(0, CacheControl.seconds(value == null ? null : value.trim(), 0));
    }

    private static String[] tagsOf(HttpFields headers) {
        List<String> tags = new ArrayList<>();
        for (HttpField field : headers) {
            if (field.is(SURROGATE_KEY)) {
                for (String tag : field.getValue().trim().split("\\s+")) {
                    if (!tag.isEmpty()) {
                        tags.add(tag);
                    }
                }
            }
        }
        return tags.toArray(String[]::new);
    }

    static boolean isSurrogate(HttpField field) {
        return field.is(SURROGATE_KEY) || field.is(SURROGATE_CONTROL);
    }

    private static boolean isStored(HttpField field) {
        HttpHeader header = field.getHeader();
        if (header != null) {
            return !NOT_STORED.contains(header);
        }
        return !NOT_STORED_NAMES.contains(field.getLowerCaseName());
    }

    /**
     * The entry a {@code 304} refreshes (RFC 9111, sections 3.2 and 4.3.4): its headers replace
     * the stored ones of the same names ({@code Content-Length} and per-response ones aside),
     * the body stays, and the age and lifetime start over from the {@code 304}'s arrival.
     */
    CachedResponse refreshedBy(HttpFields notModified, Builder timing) {
        HttpFields.Mutable merged = HttpFields.build();
        for (HttpField field : stored) {
            if (!notModified.contains(field.getName()) || field.getHeader() == HttpHeader.CONTENT_LENGTH) {
                merged.add(field);
            }
        }
        for (HttpField field : notModified) {
            if (isStored(field) && field.getHeader() != HttpHeader.CONTENT_LENGTH) {
                merged.add(field);
            }
        }
        for (HttpHeader perResponse : new HttpHeader[] {HttpHeader.DATE, HttpHeader.AGE}) {
            if (notModified.contains(perResponse)) {
                merged.put(notModified.getField(perResponse)); // for the new age, not stored
            }
        }
        timing.status = status;
        timing.varyNames = varyNames;
        timing.varyValues = varyValues;
        return timing.build(merged, body);
    }

    /** Whether a {@code 304} with {@code headers} is about this entry: its strong validator, if it has one, is the entry's. */
    boolean isValidatedBy(HttpFields headers) {
        String other = headers.get(HttpHeader.ETAG);
        return other == null || etag == null || other.startsWith("W/") || other.equals(etag);
    }

    int status() {
        return status;
    }

    /** The time past which Caffeine may drop the entry (fresh, then usable stale, then revalidatable). */
    long retainUntilNanos() {
        return retainUntilNanos;
    }

    /** Whether the entry may be served without asking the origin at {@code nowNanos}. */
    boolean isFresh(long nowNanos) {
        return nowNanos < freshUntilNanos;
    }

    /** How long ago the entry stopped being fresh (negative while it is). */
    long stalenessNanos(long nowNanos) {
        return noCache ? Long.MAX_VALUE : nowNanos - freshUntilNanos;
    }

    /** The current age (RFC 9111, section 4.2.3). */
    long ageNanos(long nowNanos) {
        return initialAgeNanos + (nowNanos - responseNanos);
    }

    /** How much fresher than now the entry stays. */
    long freshForNanos(long nowNanos) {
        return freshUntilNanos == Long.MIN_VALUE ? Long.MIN_VALUE : freshUntilNanos - nowNanos;
    }

    /**
     * Whether a shared cache may use the entry stale at all (not {@code must-revalidate},
     * {@code proxy-revalidate}, {@code s-maxage}, {@code no-cache}).
     */
    boolean mayServeStale() {
        return !forbidsStale;
    }

    /** Whether {@code stale-while-revalidate} covers the entry at {@code nowNanos}. */
    boolean mayRevalidateInBackground(long nowNanos) {
        long staleness = stalenessNanos(nowNanos);
        return staleWhileRevalidateNanos > 0 && staleness >= 0 && staleness <= staleWhileRevalidateNanos;
    }

    /** Whether the entry may stand in for an origin error at {@code nowNanos}, by its own or the request's {@code stale-if-error}. */
    boolean mayServeOnError(long nowNanos, long requestStaleIfErrorSeconds) {
        if (forbidsStale) {
            return false;
        }
        long window = Math.max(staleIfErrorNanos, Math.max(0, requestStaleIfErrorSeconds) * NANOS_PER_SECOND);
        return window > 0 && stalenessNanos(nowNanos) <= window;
    }

    boolean hasValidator() {
        return etag != null || lastModified != null;
    }

    String etag() {
        return etag;
    }

    String lastModified() {
        return lastModified;
    }

    /** Whether a request with {@code Authorization} may be answered from this entry (RFC 9111, section 3.5). */
    boolean allowsAuthorized() {
        return allowsAuthorized;
    }

    /** Whether the origin named {@code tag} among the entry's {@code Surrogate-Key}s. */
    boolean isTagged(String tag) {
        for (String t : tags) {
            if (t.equals(tag)) {
                return true;
            }
        }
        return false;
    }

    /** Bytes this entry holds, for the cache's size bound. */
    int weight() {
        return weight;
    }

    String[] varyNames() {
        return varyNames;
    }

    String[] varyValues() {
        return varyValues;
    }

    /** Whether this entry is the same variant as one for {@code values} of the same {@code Vary} names. */
    boolean isVariant(String[] names, String[] values) {
        return Arrays.equals(varyNames, names) && Arrays.equals(varyValues, values);
    }

    /**
     * Whether {@code request} selects this entry (RFC 9111, section 4.1): the same normalized
     * values of the headers {@code Vary} names, and a content coding it accepts.
     */
    boolean fits(Request request) {
        HttpFields requestHeaders = request.getHeaders();
        for (int i = 0; i < varyNames.length; i++) {
            if (!Objects.equals(Vary.normalized(requestHeaders, varyNames[i]), varyValues[i])) {
                return false;
            }
        }
        return contentEncoding == null || Vary.accepts(requestHeaders.get(HttpHeader.ACCEPT_ENCODING), contentEncoding);
    }

    /**
     * Answers {@code request} from this entry with {@code mark} ({@code HIT} or {@code STALE}):
     * {@code 304} when the request's own conditional matches (RFC 9110, section 13.2.2), else
     * the stored answer, without its body for a {@code HEAD}.
     */
    void serve(Request request, Response response, Callback callback, long nowNanos, HttpField mark) {
        HttpFields.Mutable out = response.getHeaders();
        for (HttpField field : replayed) {
            out.add(field);
        }
        if (date != null) {
            out.put(date);
        }
        out.put(mark);
        out.put(HttpHeader.AGE, Math.max(0, ageNanos(nowNanos)) / NANOS_PER_SECOND);
        if (status == 200 && isNotModifiedFor(request.getHeaders())) {
            response.setStatus(304);
            response.write(true, null, callback);
            return;
        }
        response.setStatus(status);
        if (status != 204) {
            out.add(contentLength); // a 204 has no Content-Length (RFC 9110, section 8.6)
        }
        response.write(true, HttpMethod.HEAD.is(request.getMethod()) ? null : body.slice(), callback);
    }

    private boolean isNotModifiedFor(HttpFields requestHeaders) {
        return isNotModified(requestHeaders, etag, lastModified);
    }

    /**
     * Whether a request's conditional matches an answer with {@code etag} and
     * {@code lastModified} (RFC 9110, section 13.2.2: {@code If-None-Match} decides when
     * present, else {@code If-Modified-Since}).
     */
    static boolean isNotModified(HttpFields requestHeaders, String etag, String lastModified) {
        String ifNoneMatch = requestHeaders.get(HttpHeader.IF_NONE_MATCH);
        if (ifNoneMatch != null) {
            return ETags.matches(ifNoneMatch, etag);
        }
        String ifModifiedSince = requestHeaders.get(HttpHeader.IF_MODIFIED_SINCE);
        if (ifModifiedSince == null || lastModified == null) {
            return false; // the common hit: no date to parse
        }
        long modified = DateParser.parseDate(lastModified.trim());
        if (modified < 0) {
            return false;
        }
        long since = DateParser.parseDate(ifModifiedSince.trim());
        return since >= 0 && modified <= since;
    }

    @Override
    public String toString() {
        return status + " " + String.join(",", varyNames).toLowerCase(Locale.ROOT);
    }
}
