package archway.catalog;

import io.javalin.http.Context;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Conditional GETs: a strong {@code ETag} over the exact bytes of a representation, and
 * {@code 304 Not Modified} (no body) when the client's {@code If-None-Match} names it - so
 * browsers and the edge revalidate for a few hundred bytes instead of fetching again.
 */
final class HttpCaching {

    private HttpCaching() {
    }

    /** Answers with {@code body}, or with 304 when the client has it already. */
    static void respond(Context ctx, byte[] body, String contentType, String etag, String cacheControl) {
        ctx.header("Cache-Control", cacheControl);
        ctx.header("ETag", etag);
        if (matches(ctx.header("If-None-Match"), etag)) {
            ctx.status(304);
            return;
        }
        ctx.contentType(contentType).result(body);
    }

    /** A strong validator of {@code bytes}: 128 bits of their SHA-256, quoted. */
    static String etagOf(byte[] bytes) {
        try {
            return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * RFC 9110 13.1.2: {@code If-None-Match} compares weakly (a {@code W/} prefix is ignored),
     * lists several tags separated by commas, or is {@code *}.
     */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || (tag.startsWith("W/") ? tag.substring(2) : tag).equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
