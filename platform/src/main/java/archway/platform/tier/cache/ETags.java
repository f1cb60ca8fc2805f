package archway.platform.tier.cache;

/** {@code If-None-Match} against an entity tag, by the weak comparison RFC 9110 asks for GET. */
public final class ETags {

    private ETags() {
    }

    /** Whether a request's {@code If-None-Match} names {@code etag} (or is {@code *}). */
    public static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null || etag == null) {
            return false;
        }
        String wanted = opaque(etag);
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || opaque(tag).equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
