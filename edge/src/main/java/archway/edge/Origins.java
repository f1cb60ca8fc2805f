package archway.edge;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The edge's two origins: {@code /api} and below to the API (forwarded), every other path to the storefront. */
final class Origins extends Handler.Wrapper {

    private final Handler storefront;

    Origins(Handler api, Handler storefront) {
        super(api);
        this.storefront = storefront;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (path.startsWith("/api/") || path.equals("/api")) {
            return super.handle(request, response, callback);
        }
        return storefront.handle(request, response, callback);
    }
}
