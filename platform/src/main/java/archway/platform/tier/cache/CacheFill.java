package archway.platform.tier.cache;

import archway.platform.tier.HeadersAtCommit;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Ticker;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * One cache miss on its way through: the response the origin's answer is written to. It
 * marks it {@code X-Cache: MISS}, keeps a copy of a storable answer as it streams to the
 * client, and stores the copy when the last piece is written. A last piece is only written
 * for an answer that arrived whole, so a truncated answer is never stored; and storing
 * before that piece reaches the client means the client's next request already finds it.
 *
 * <p>Whether the answer is storable is decided at commit, from its status and headers:
 * {@code 200}, a positive shared lifetime ({@link CacheControl}), no {@code Set-Cookie} (a
 * shared cache must never hand one user's cookie to another), no {@code Vary: *}, and not
 * larger than the largest cacheable body. An encoded answer is kept as a variant of
 * {@code Accept-Encoding} even when the origin forgot to say {@code Vary}.
 */
final class CacheFill extends HeadersAtCommit {

    static final PreEncodedHttpField MISS = new PreEncodedHttpField("X-Cache", "MISS");
    /** Headers that belong to one response, never replayed from the cache. */
    private static final Set<HttpHeader> NOT_STORED = EnumSet.of(HttpHeader.DATE, HttpHeader.AGE, HttpHeader.CONTENT_LENGTH,
            HttpHeader.SET_COOKIE, HttpHeader.TRANSFER_ENCODING, HttpHeader.CONNECTION, HttpHeader.KEEP_ALIVE);
    private static final Set<String> NOT_STORED_NAMES = Set.of("x-request-id", "x-cache");
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final String key;
    private final Cache<String, CachedResponse> entries;
    private final Ticker ticker;
    private final int maxBytes;
    private HttpField[] storedHeaders;
    private String etag;
    private String[] varyNames;
    private String[] varyValues;
    private long initialAgeSeconds;
    private long freshNanos;
    private long receivedAtNanos;
    private byte[] body;
    private int size;

    CacheFill(Request request, Response response, String key, Cache<String, CachedResponse> entries, Ticker ticker, int maxBytes) {
        super(request, response);
        this.key = key;
        this.entries = entries;
        this.ticker = ticker;
        this.maxBytes = maxBytes;
    }

    @Override
    protected void atCommit(HttpFields.Mutable headers) {
        if (isStorable(headers)) {
            receivedAtNanos = ticker.read();
            storedHeaders = headers.stream().filter(CacheFill::isReplayed).toArray(HttpField[]::new);
            etag = headers.get(HttpHeader.ETAG);
            long declared = declaredLength(headers);
            body = new byte[(int) (declared > 0 ? declared : Math.min(8192, maxBytes))];
        }
        headers.put(MISS);
    }

    private boolean isStorable(HttpFields headers) {
        if (getStatus() != 200 || headers.contains(HttpHeader.SET_COOKIE)) {
            return false;
        }
        long lifetime = CacheControl.of(headers).sharedLifetimeSeconds();
        long age = ageOf(headers);
        long declared = declaredLength(headers);
        if (lifetime <= age || declared > maxBytes) {
            return false;
        }
        List<String> vary = headers.getCSV(HttpHeader.VARY, false);
        if (vary.contains("*")) {
            return false;
        }
        if (isEncoded(headers) && vary.stream().noneMatch(HttpHeader.ACCEPT_ENCODING::is)) {
            // An encoded answer fits only clients that accept the same encodings, whether or not
            // the origin said so: keep it as a variant of Accept-Encoding rather than serve a
            // compressed body to a client that cannot read it.
            vary = new ArrayList<>(vary);
            vary.add(HttpHeader.ACCEPT_ENCODING.asString());
        }
        varyNames = vary.toArray(String[]::new);
        varyValues = new String[varyNames.length];
        for (int i = 0; i < varyNames.length; i++) {
            varyValues[i] = getRequest().getHeaders().get(varyNames[i]);
        }
        initialAgeSeconds = age;
        freshNanos = (lifetime - age) * NANOS_PER_SECOND;
        return true;
    }

    private static boolean isEncoded(HttpFields headers) {
        String encoding = headers.get(HttpHeader.CONTENT_ENCODING);
        return encoding != null && !encoding.isBlank() && !encoding.equalsIgnoreCase("identity");
    }

    @Override
    protected void onContent(boolean last, ByteBuffer content) {
        if (body == null) {
            return;
        }
        int n = content == null ? 0 : content.remaining();
        if (size + (long) n > maxBytes) {
            body = null; // too large after all: let it pass, uncached
            return;
        }
        if (size + n > body.length) {
            body = Arrays.copyOf(body, (int) Math.min(maxBytes, Math.max(2L * body.length, size + n)));
        }
        if (n > 0) {
            content.get(content.position(), body, size, n);
            size += n;
        }
        if (last) {
            entries.put(key, new CachedResponse(storedHeaders, body, size, etag, varyNames, varyValues, receivedAtNanos,
                    initialAgeSeconds, freshNanos));
            body = null;
        }
    }

    private static boolean isReplayed(HttpField field) {
        HttpHeader header = field.getHeader();
        if (header != null) {
            return !NOT_STORED.contains(header);
        }
        return !NOT_STORED_NAMES.contains(field.getLowerCaseName());
    }

    private static long ageOf(HttpFields headers) {
        try {
            return Math.max(0, headers.getLongField(HttpHeader.AGE));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long declaredLength(HttpFields headers) {
        try {
            return headers.getLongField(HttpHeader.CONTENT_LENGTH);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
