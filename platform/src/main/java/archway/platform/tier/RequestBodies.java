package archway.platform.tier;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/** What the tiers need to know of a request's body before reading any of it. */
final class RequestBodies {

    private RequestBodies() {
    }

    /**
     * Whether {@code request} has no body: a {@code Content-Length} of 0, or neither a length
     * nor {@code Transfer-Encoding} (HTTP/1.1 then has none).
     */
    static boolean absent(Request request) {
        long length = request.getLength();
        return length == 0 || (length < 0 && !request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING));
    }
}
