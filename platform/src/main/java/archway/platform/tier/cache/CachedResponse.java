package archway.platform.tier.cache;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A stored {@code 200} answer, ready to be replayed: everything that does not change between
 * hits (headers, {@code Content-Length}, the body in a direct buffer) is prepared when it is
 * stored, so a hit only copies header references, computes {@code Age} and writes.
 */
final class CachedResponse {

    static final PreEncodedHttpField HIT = new PreEncodedHttpField("X-Cache", "HIT");
    /** The origin's tags of a response, for purges by tag. */
    static final String SURROGATE_KEY = "Surrogate-Key";
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int OVERHEAD_BYTES = 256;

    private final HttpField[] headers;
    private final HttpField contentLength;
    private final ByteBuffer body;
    private final String etag;
    private final String[] varyNames;
    private final String[] varyValues;
    private final long receivedAtNanos;
    private final long initialAgeSeconds;
    private final long expiresAtNanos;
    private final int weight;

    /**
     * @param headers           the headers to replay (without per-response ones such as {@code Date})
     * @param varyNames         the request headers named by {@code Vary}
     * @param varyValues        the values those had in the request that filled the entry
     * @param receivedAtNanos   when the origin's answer arrived, on the cache's ticker
     * @param initialAgeSeconds the {@code Age} the origin's answer already had
     * @param freshNanos        how long after its arrival the entry may be served
     */
    CachedResponse(HttpField[] headers, byte[] body, int length, String etag, String[] varyNames, String[] varyValues,
                   long receivedAtNanos, long initialAgeSeconds, long freshNanos) {
        this.headers = headers;
        this.contentLength = new PreEncodedHttpField(HttpHeader.CONTENT_LENGTH, Integer.toString(length));
        this.body = ByteBuffer.allocateDirect(length).put(body, 0, length).flip().asReadOnlyBuffer();
        this.etag = etag;
        this.varyNames = varyNames;
        this.varyValues = varyValues;
        this.receivedAtNanos = receivedAtNanos;
        this.initialAgeSeconds = initialAgeSeconds;
        this.expiresAtNanos = receivedAtNanos + freshNanos;
        int headerBytes = 0;
        for (HttpField field : headers) {
            headerBytes += field.getName().length() + field.getValue().length() + 4;
        }
        this.weight = length + headerBytes + OVERHEAD_BYTES;
    }

    /** How much longer the entry may be served, at {@code nowNanos} on the cache's ticker. */
    long freshForNanos(long nowNanos) {
        return Math.max(0, expiresAtNanos - nowNanos);
    }

    /** Whether the origin named {@code tag} among the entry's {@code Surrogate-Key}s. */
    boolean isTagged(String tag) {
        for (HttpField field : headers) {
            if (field.is(SURROGATE_KEY)) {
                for (String key : field.getValue().split(" ")) {
                    if (key.equals(tag)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Bytes this entry holds, for the cache's size bound. */
    int weight() {
        return weight;
    }

    /** Whether {@code request} sends the same values of the {@code Vary} headers as the one that filled this entry. */
    boolean fits(Request request) {
        HttpFields requestHeaders = request.getHeaders();
        for (int i = 0; i < varyNames.length; i++) {
            if (!Objects.equals(requestHeaders.get(varyNames[i]), varyValues[i])) {
                return false;
            }
        }
        return true;
    }

    /** Answers {@code request} from this entry: {@code 304} when its {@code If-None-Match} names the ETag, else {@code 200}. */
    void serve(Request request, Response response, Callback callback, long nowNanos) {
        HttpFields.Mutable out = response.getHeaders();
        for (HttpField field : headers) {
            out.add(field);
        }
        out.put(HIT);
        out.put(HttpHeader.AGE, initialAgeSeconds + (nowNanos - receivedAtNanos) / NANOS_PER_SECOND);
        if (etag != null && ETags.matches(request.getHeaders().get(HttpHeader.IF_NONE_MATCH), etag)) {
            response.setStatus(304);
            response.write(true, null, callback);
            return;
        }
        response.setStatus(200);
        out.add(contentLength);
        response.write(true, body.slice(), callback);
    }
}
