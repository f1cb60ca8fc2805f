package archway.platform.tier.cache;

import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The {@code Cache-Control} directives a shared cache acts on (RFC 9111, section 5.2).
 * Absent numbers are {@code -1}; a malformed number counts as {@code 0} (stale), as the RFC
 * asks. A directive with field names ({@code private="Set-Cookie"}) counts as the whole
 * directive: this cache never stores part of a response.
 */
record CacheControl(boolean noStore, boolean noCache, boolean isPrivate, long maxAge, long sMaxAge) {

    static final CacheControl NONE = new CacheControl(false, false, false, -1, -1);

    static CacheControl of(HttpFields headers) {
        if (!headers.contains(HttpHeader.CACHE_CONTROL)) {
            return NONE;
        }
        return parse(headers.getCSV(HttpHeader.CACHE_CONTROL, false));
    }

    static CacheControl parse(List<String> directives) {
        boolean noStore = false;
        boolean noCache = false;
        boolean isPrivate = false;
        long maxAge = -1;
        long sMaxAge = -1;
        for (String directive : directives) {
            int eq = directive.indexOf('=');
            String name = (eq < 0 ? directive : directive.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : directive.substring(eq + 1).trim();
            switch (name) {
                case "no-store" -> noStore = true;
                case "no-cache" -> noCache = true;
                case "private" -> isPrivate = true;
                case "max-age" -> maxAge = seconds(value);
                case "s-maxage" -> sMaxAge = seconds(value);
                default -> {
                    // public, must-revalidate, immutable, ...: nothing to do for a cache that never serves stale
                }
            }
        }
        return new CacheControl(noStore, noCache, isPrivate, maxAge, sMaxAge);
    }

    /**
     * How long a shared cache may serve the response without asking the origin, in seconds;
     * {@code 0} when it must not store it at all. No explicit lifetime means none: this cache
     * does not guess one.
     */
    long sharedLifetimeSeconds() {
        if (noStore || noCache || isPrivate) {
            return 0;
        }
        return Math.max(0, sMaxAge >= 0 ? sMaxAge : maxAge);
    }

    private static long seconds(String value) {
        if (value == null) {
            return 0;
        }
        String digits = value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2
                ? value.substring(1, value.length() - 1) : value;
        try {
            return Math.max(0, Long.parseLong(digits));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
