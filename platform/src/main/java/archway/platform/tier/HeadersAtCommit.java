package archway.platform.tier;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A response that lets a tier set its headers last, just before the response commits.
 *
 * <p>Why not simply set them before forwarding: the forwarder copies the upstream's
 * headers with {@code put}, so a tier's {@code Vary} or {@code X-Cache} set earlier would be
 * replaced by an upstream's of the same name; and a retried attempt removes what the failed
 * one copied. Everything a handler or the forwarder sends goes through {@link #write}, so
 * the first write is the last moment before the headers leave.
 */
public abstract class HeadersAtCommit extends Response.Wrapper {

    private boolean committing;

    protected HeadersAtCommit(Request request, Response wrapped) {
        super(request, wrapped);
    }

    /** A response that puts {@code field} when it commits. */
    public static Response putting(Request request, Response response, HttpField field) {
        return new Putting(request, response, field);
    }

    /** Sets this tier's headers; called once, before the first byte is written. */
    protected abstract void atCommit(HttpFields.Mutable headers);

    /** Sees each piece of content before it is written (for tiers that keep a copy). */
    protected void onContent(boolean last, ByteBuffer content) {
    }

    @Override
    public void write(boolean last, ByteBuffer content, Callback callback) {
        if (!committing) {
            committing = true;
            atCommit(getHeaders());
        }
        onContent(last, content);
        super.write(last, content, callback);
    }

    private static final class Putting extends HeadersAtCommit {
        private final HttpField field;

        Putting(Request request, Response wrapped, HttpField field) {
            super(request, wrapped);
            this.field = field;
        }

        @Override
        protected void atCommit(HttpFields.Mutable headers) {
            headers.put(field);
        }
    }
}
