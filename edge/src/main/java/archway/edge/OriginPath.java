package archway.edge;

import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Puts a proxy origin's path prefix before the client's path ({@code --origin
 * https://example.org/shop}: {@code /cart?x} is fetched as {@code /shop/cart?x}). Only the
 * forwarded request sees the longer path; the cache, logs and metrics keep the client's.
 */
final class OriginPath extends Handler.Wrapper {

    private final String prefix;

    OriginPath(String prefix, Handler next) {
        super(next);
        this.prefix = prefix;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        HttpURI prefixed = HttpURI.build(request.getHttpURI()).path(prefix + request.getHttpURI().getPath()).asImmutable();
        return super.handle(new Prefixed(request, prefixed), response, callback);
    }

    /** The client's request with the origin's path. */
    private static final class Prefixed extends Request.Wrapper {
        private final HttpURI uri;

        Prefixed(Request request, HttpURI uri) {
            super(request);
            this.uri = uri;
        }

        @Override
        public HttpURI getHttpURI() {
            return uri;
        }
    }
}
