package archway.platform.tier.cache;

import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The {@code Cache-Control} directives a shared cache acts on (RFC 9111, section 5.2), of a
 * request or of a response. Absent numbers are {@code -1}; {@code max-stale} without a value
 * is {@link Long#MAX_VALUE}.
 *
 * <p>Bad input is read the most restrictive way, never rejected: a directive given twice
 * keeps its smaller number; a malformed {@code max-age} or {@code s-maxage} is {@code 0}
 * (stale), a malformed {@code stale-while-revalidate}, {@code stale-if-error} or
 * {@code max-stale} is {@code 0} (no stale use), a malformed {@code min-fresh} asks for more
 * freshness than anything has. A directive with field names ({@code private="Set-Cookie"},
 * {@code no-cache="Set-Cookie"}) counts as the whole directive: this cache never stores or
 * serves part of a response.
 */
record CacheControl(boolean noStore, boolean noCache, boolean isPrivate, boolean isPublic, boolean mustRevalidate,
                    boolean proxyRevalidate, boolean onlyIfCached, long maxAge, long sMaxAge, long staleWhileRevalidate,
                    long staleIfError, long maxStale, long minFresh) {

    static final CacheControl NONE = new CacheControl(false, false, false, false, false, false, false, -1, -1, -1, -1, -1, -1);
    /** A request's {@code Pragma: no-cache} without {@code Cache-Control} (RFC 9111, section 5.4). */
    private static final CacheControl PRAGMA_NO_CACHE = new CacheControl(false, true, false, false, false, false, false, -1, -1,
            -1, -1, -1, -1);
    /** The largest number of seconds taken (RFC 9111, section 1.2.2): larger ones are this. */
    private static final long MAX_SECONDS = 2_147_483_648L;

    /** The directives of a response, or of a request without {@code Pragma} to consider. */
    static CacheControl of(HttpFields headers) {
        if (!headers.contains(HttpHeader.CACHE_CONTROL)) {
            return NONE;
        }
        return parse(headers.getCSV(HttpHeader.CACHE_CONTROL, false));
    }

    /** The directives of a request: its {@code Cache-Control}, else a {@code Pragma: no-cache}. */
    static CacheControl ofRequest(HttpFields headers) {
        if (headers.contains(HttpHeader.CACHE_CONTROL)) {
            return parse(headers.getCSV(HttpHeader.CACHE_CONTROL, false));
        }
        String pragma = headers.get(HttpHeader.PRAGMA);
        return pragma != null && pragma.toLowerCase(Locale.ROOT).contains("no-cache") ? PRAGMA_NO_CACHE : NONE;
    }

    static CacheControl parse(List<String> directives) {
        boolean noStore = false;
        boolean noCache = false;
        boolean isPrivate = false;
        boolean isPublic = false;
        boolean mustRevalidate = false;
        boolean proxyRevalidate = false;
        boolean onlyIfCached = false;
        long maxAge = -1;
        long sMaxAge = -1;
        long swr = -1;
        long sie = -1;
        long maxStale = -1;
        long minFresh = -1;
        for (String directive : directives) {
            int eq = directive.indexOf('=');
            String name = (eq < 0 ? directive : directive.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : directive.substring(eq + 1).trim();
            switch (name) {
                case "no-store" -> noStore = true;
                case "no-cache" -> noCache = true;
                case "private" -> isPrivate = true;
                case "public" -> isPublic = true;
                case "must-revalidate" -> mustRevalidate = true;
                case "proxy-revalidate" -> proxyRevalidate = true;
                case "only-if-cached" -> onlyIfCached = true;
                case "max-age" -> maxAge = smaller(maxAge, seconds(value, 0));
                case "s-maxage" -> sMaxAge = smaller(sMaxAge, seconds(value, 0));
                case "stale-while-revalidate" -> swr = smaller(swr, seconds(value, 0));
                case "stale-if-error" -> sie = smaller(sie, seconds(value, 0));
                case "max-stale" -> maxStale = smaller(maxStale, value == null ? Long.MAX_VALUE : seconds(value, 0));
                case "min-fresh" -> minFresh = Math.max(minFresh, seconds(value, MAX_SECONDS));
                default -> {
                    // immutable, no-transform, extensions: nothing a cache that stores whole responses must do
                }
            }
        }
        return new CacheControl(noStore, noCache, isPrivate, isPublic, mustRevalidate, proxyRevalidate, onlyIfCached, maxAge,
                sMaxAge, swr, sie, maxStale, minFresh);
    }

    /** Whether a shared cache must never use the response stale: {@code must-revalidate}, {@code proxy-revalidate}, {@code s-maxage}. */
    boolean forbidsStale() {
        return mustRevalidate || proxyRevalidate || sMaxAge >= 0;
    }

    /** Whether a response to a request with {@code Authorization} may be stored (RFC 9111, section 3.5). */
    boolean allowsAuthorized() {
        return isPublic || mustRevalidate || sMaxAge >= 0;
    }

    private static long smaller(long current, long value) {
        return current < 0 ? value : Math.min(current, value);
    }

    /** A delta-seconds value (quotes tolerated); {@code malformed} when it is not one. */
    static long seconds(String value, long malformed) {
        if (value == null) {
            return malformed;
        }
        String digits = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
        if (digits.isEmpty()) {
            return malformed;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return malformed;
            }
        }
        return digits.length() > 10 ? MAX_SECONDS : Math.min(MAX_SECONDS, Long.parseLong(digits));
    }
}
