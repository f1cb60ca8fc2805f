package archway.platform.tier;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.content.ByteBufferContentSource;
import org.eclipse.jetty.server.Request;

/** A request whose body was read into memory: it now has a {@code Content-Length} instead of chunks. */
final class BufferedRequest extends Request.Wrapper {

    private final HttpFields headers;
    private final Content.Source body;
    private final int length;

    BufferedRequest(Request request, byte[] bytes, int length) {
        super(request);
        HttpFields.Mutable fields = HttpFields.build(request.getHeaders());
        fields.remove(HttpHeader.TRANSFER_ENCODING);
        fields.put(HttpHeader.CONTENT_LENGTH, length);
        this.headers = fields.asImmutable();
        this.body = new ByteBufferContentSource(ByteBuffer.wrap(bytes, 0, length));
        this.length = length;
    }

    @Override
    public HttpFields getHeaders() {
        return headers;
    }

    @Override
    public long getLength() {
        return length;
    }

    @Override
    public Content.Chunk read() {
        return body.read();
    }

    @Override
    public void demand(Runnable demandCallback) {
        body.demand(demandCallback);
    }

    @Override
    public void fail(Throwable failure) {
        body.fail(failure);
    }
}
