package archway.edge;

import archway.objects.ObjectStore;
import archway.objects.StoredObject;
import archway.platform.tier.Problems;
import archway.platform.tier.cache.ETags;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.concurrent.Executor;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storefront single-page app, served from object storage: the key is the path without
 * its leading slash, {@code /} is {@code index.html}, and a path whose last segment has no
 * dot is a route of the app, answered with {@code index.html} when no object has that key.
 * A missing asset (with an extension) is a {@code 404} problem; so is a path that is no
 * valid key (the store's key rules keep every request inside the bucket).
 *
 * <p>Lifetimes follow the names. An asset whose name carries its content's hash
 * ({@code app.3f2a9c1d.js}: 8 or more hex digits before the extension, as the launcher
 * publishes the storefront) can never change under that name, so browsers and the edge keep
 * it a year without asking again ({@code public, max-age=31536000, immutable}).
 * {@code index.html} names those assets, so it is the one file a release changes; it keeps
 * {@code max-age=60} rather than {@code no-cache}: the edge's cache then absorbs the
 * storefront's busiest file instead of asking object storage on every page load, a release
 * shows up within a minute, and an index that is a minute old still works because the assets
 * it names stay published. Other unhashed assets (the favicon) are cached for an hour.
 *
 * <p>Object storage may be remote (S3), so reads run on virtual threads, never on the
 * server's few threads.
 */
final class Storefront extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(Storefront.class);
    private static final String INDEX = "index.html";
    private static final PreEncodedHttpField INDEX_CACHING = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "public, max-age=60");
    private static final PreEncodedHttpField ASSET_CACHING = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "public, max-age=3600");
    private static final PreEncodedHttpField IMMUTABLE_CACHING =
            new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "public, max-age=31536000, immutable");
    /** A last segment such as {@code app.3f2a9c1d.js}: a name, 8-64 hex digits of its content's hash, an extension. */
    private static final Pattern HASHED_NAME = Pattern.compile("[^/]+\\.[0-9a-f]{8,64}\\.[A-Za-z0-9]+");

    private final ObjectStore objects;
    private final String bucket;
    private final Executor reads;

    Storefront(ObjectStore objects, String bucket, Executor reads) {
        this.objects = objects;
        this.bucket = bucket;
        this.reads = reads;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            Problems.write(response, callback, 405, request.getMethod() + " is not allowed on the storefront");
            return true;
        }
        String key;
        try {
            key = keyOf(Request.getPathInContext(request));
        } catch (IllegalArgumentException e) {
            Problems.write(response, callback, 404, "no such page or asset");
            return true;
        }
        reads.execute(() -> serve(request, response, callback, key));
        return true;
    }

    /** The object key of a request path, or {@link IllegalArgumentException} when it cannot be one. */
    static String keyOf(String path) {
        int end = path.length();
        while (end > 0 && path.charAt(end - 1) == '/') {
            end--;
        }
        String key = path.substring(Math.min(1, end), end);
        return key.isEmpty() ? INDEX : ObjectStore.checkKey(key);
    }

    private void serve(Request request, Response response, Callback callback, String key) {
        try {
            Optional<StoredObject> found = objects.get(bucket, key);
            if (found.isEmpty() && isAppRoute(key)) {
                found = objects.get(bucket, INDEX);
            }
            if (found.isEmpty()) {
                Problems.write(response, callback, 404, "no such asset: /" + key);
                return;
            }
            write(found.get(), request, response, callback);
        } catch (RuntimeException e) {
            LOG.warn("storefront object {}/{} could not be read: {}", bucket, key, e.toString());
            Problems.write(response, callback, 503, "the storefront cannot be read from object storage now; retry shortly");
        }
    }

    private static boolean isAppRoute(String key) {
        return key.indexOf('.', key.lastIndexOf('/') + 1) < 0;
    }

    private static PreEncodedHttpField cachingOf(String key) {
        if (key.equals(INDEX)) {
            return INDEX_CACHING;
        }
        return isHashed(key) ? IMMUTABLE_CACHING : ASSET_CACHING;
    }

    /** Whether the key's last segment names its content's hash, so it never changes. */
    static boolean isHashed(String key) {
        return HASHED_NAME.matcher(key.substring(key.lastIndexOf('/') + 1)).matches();
    }

    private static void write(StoredObject object, Request request, Response response, Callback callback) {
        var headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, object.contentType());
        headers.put(HttpHeader.ETAG, object.etag());
        headers.put(cachingOf(object.key()));
        if (ETags.matches(request.getHeaders().get(HttpHeader.IF_NONE_MATCH), object.etag())) {
            response.setStatus(304);
            response.write(true, null, callback);
            return;
        }
        response.setStatus(200);
        headers.put(HttpHeader.CONTENT_LENGTH, object.bytes().length);
        response.write(true, ByteBuffer.wrap(object.bytes()), callback);
    }
}
