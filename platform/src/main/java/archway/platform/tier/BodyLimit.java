package archway.platform.tier;

import io.micrometer.core.instrument.Counter;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The request size limit: a body over the limit gets a {@code 413} problem and nothing is
 * forwarded.
 *
 * <p>A declared {@code Content-Length} is checked at once and the body then streams through
 * (Jetty holds the client to the length it declared). The rest of a refused body is read
 * and dropped after the {@code 413} goes out, by the {@link TierServer}'s {@link UnreadBody}
 * (up to 16 MiB), so a client that uploads before it reads gets the answer rather than a
 * connection reset. A body of unknown length (chunked) is
 * read here, without blocking, up to the limit before anything goes upstream: streaming it
 * would let an oversize upload reach a service before the limit is noticed.
 *
 * <p>Every tier that takes request bodies from outside applies it: the edge at the public
 * entry, so an oversize upload is answered there rather than raced against a hop behind it
 * that refuses it and closes, and the gateway as the API's own limit.
 */
public final class BodyLimit extends Handler.Wrapper {

    private final long maxBytes;
    private final Counter tooLarge;

    /** {@code tooLarge} counts the requests refused for their size. */
    public BodyLimit(long maxBytes, Counter tooLarge, Handler next) {
        super(next);
        this.maxBytes = maxBytes;
        this.tooLarge = tooLarge;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long length = request.getLength();
        if (length > maxBytes) {
            rejectTooLarge(response, callback);
            return true;
        }
        if (length >= 0 || !request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
            return super.handle(request, response, callback);
        }
        new Gathering(request, response, callback).run();
        return true;
    }

    private void rejectTooLarge(Response response, Callback callback) {
        tooLarge.increment();
        Problems.write(response, callback, 413, "the request body is larger than the " + maxBytes + " bytes this API accepts");
    }

    /** Reads a body of unknown length as it arrives, then forwards it with its length known. */
    private final class Gathering implements Runnable {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private byte[] bytes = new byte[8192];
        private int size;

        Gathering(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        @Override
        public void run() {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    callback.failed(chunk.getFailure());
                    return;
                }
                boolean fits = append(chunk.getByteBuffer());
                boolean last = chunk.isLast();
                chunk.release();
                if (!fits) {
                    rejectTooLarge(response, callback);
                    return;
                }
                if (last) {
                    forward();
                    return;
                }
            }
        }

        private boolean append(ByteBuffer content) {
            int n = content.remaining();
            if (size + (long) n > maxBytes) {
                return false;
            }
            if (size + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(maxBytes, Math.max((long) bytes.length * 2, size + n)));
            }
            content.get(bytes, size, n);
            size += n;
            return true;
        }

        private void forward() {
            try {
                if (!BodyLimit.super.handle(new BufferedRequest(request, bytes, size), response, callback)) {
                    Problems.write(response, callback, 404, "no API resource at " + request.getHttpURI().getPath());
                }
            } catch (Throwable failure) {
                callback.failed(failure);
            }
        }
    }
}
