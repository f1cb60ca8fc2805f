package archway.platform.tier;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Reads and drops what a request's handlers left unread of its body, after the answer is
 * out and before the exchange completes, so the connection stays open for the next request.
 *
 * <p>A tier often answers before reading a body: the gateway refuses a missing token, a
 * limit or an unknown route on the headers alone. The client is usually still sending the
 * body then. Jetty, finding the body not yet all there when the exchange completes, gives up
 * the connection, and closing a socket with unread bytes makes TCP reset it: the client's
 * upload fails, and it may lose the answer it had not read yet. A proxy in front saw its own
 * request fail and answered {@code 502} for what was a {@code 401}. RFC 9112, section 9.6,
 * asks a server that stops reading early to keep reading long enough for the client to see
 * the answer; reading the rest here does that and keeps the connection.
 *
 * <p>Bounded: a body declared larger than {@link #MAX_DRAINED_BYTES}, or found larger while
 * read, is not waited for (Jetty then closes the connection), and a client that stops
 * sending meets the connector's idle timeout. A request that asked {@code Expect:
 * 100-continue} and was refused has no body coming, so nothing is read for it.
 */
final class UnreadBody extends Handler.Wrapper {

    /** The most of an unread body read and dropped to keep its connection. */
    static final long MAX_DRAINED_BYTES = 16L * 1024 * 1024;

    UnreadBody(Handler next) {
        super(next);
    }

    /** A request without a body (most are) goes through as it is: there is nothing to read after it. */
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (RequestBodies.absent(request)) {
            return super.handle(request, response, callback);
        }
        return super.handle(request, response, new Draining(request, callback));
    }

    private static final class Draining extends Callback.Nested implements Runnable {
        private final Request request;
        private long drained;

        Draining(Request request, Callback callback) {
            super(callback);
            this.request = request;
        }

        @Override
        public void succeeded() {
            if (request.getLength() > MAX_DRAINED_BYTES
                    || request.getHeaders().contains(HttpHeader.EXPECT, HttpHeaderValue.CONTINUE.asString())) {
                super.succeeded();
                return;
            }
            run();
        }

        /** Reads until the body ends, fails or is too large, then completes the exchange. */
        @Override
        public void run() {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                drained += chunk.remaining();
                boolean done = chunk.isLast() || Content.Chunk.isFailure(chunk) || drained > MAX_DRAINED_BYTES;
                chunk.release();
                if (done) {
                    super.succeeded();
                    return;
                }
            }
        }
    }
}
