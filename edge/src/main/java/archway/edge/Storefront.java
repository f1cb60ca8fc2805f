package archway.edge;

import archway.objects.ObjectStore;
import archway.objects.StoredObject;
import archway.platform.tier.Problems;
import archway.platform.tier.cache.ETags;
import java.nio.ByteBuffer;
import java.util.Optional;
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
 * <p>{@code index.html} is cached briefly ({@code max-age=60}) so a new release shows up
 * within a minute; other assets longer.
 *
 * <p>Object storage may be remote (S3), so reads run on virtual threads, never on the
 * server's few threads.
 */
final class Storefront extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(Storefront.class);
    private static final String INDEX = "index.html";
    private static final PreEncodedHttpField INDEX_CACHING = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "public, max-age=60");
    private static final PreEncodedHttpField ASSET_CACHING = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "public, max-age=3600");

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

    private static void write(StoredObject object, Request request, Response response, Callback callback) {
        var headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, object.contentType());
        headers.put(HttpHeader.ETAG, object.etag());
        headers.put(object.key().equals(INDEX) ? INDEX_CACHING : ASSET_CACHING);
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
