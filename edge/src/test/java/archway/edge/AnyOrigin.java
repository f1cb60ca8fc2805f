package archway.edge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * A stand-in origin that takes every method on every path (a Jetty core handler, so
 * extension methods reach it too), for the proxy and compression tests.
 *
 * <ul>
 *   <li>{@code /echo...}: {@code METHOD path?query body}, {@code no-store}, the status of {@code ?status=}</li>
 *   <li>{@code /cached/...}: {@code call n for path}, {@code public, max-age=60}, tagged {@code Surrogate-Key: products all}</li>
 *   <li>{@code /text/...}: {@value #TEXT_BYTES} bytes of text in the type of {@code ?type=} (default {@code text/html}),
 *       cacheable, {@code ETag "t1"}, {@code 304} to {@code If-None-Match: "t1"}</li>
 *   <li>{@code /small}: a short text; {@code /encoded}: text the origin gzipped itself</li>
 * </ul>
 */
final class AnyOrigin implements AutoCloseable {

    static final int TEXT_BYTES = 4000;
    static final String TEXT = "<p>" + "the quick brown fox jumps over the lazy dog. ".repeat(TEXT_BYTES / 45 + 1);

    /** Calls by path and query. */
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    /** The last request's method, target (path and query), body and headers (lower-case names). */
    volatile String lastMethod;
    volatile String lastTarget;
    volatile String lastBody;
    final Map<String, String> lastHeaders = new ConcurrentHashMap<>();
    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);

    AnyOrigin() {
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Answering());
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void answer(Request request, Response response, Callback callback) throws IOException {
        String target = request.getHttpURI().getPathQuery();
        String path = request.getHttpURI().getPath();
        int call = calls.computeIfAbsent(target, t -> new AtomicInteger()).incrementAndGet();
        String body;
        try (InputStream in = Content.Source.asInputStream(request)) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        lastMethod = request.getMethod();
        lastTarget = target;
        lastBody = body;
        lastHeaders.clear();
        for (HttpField field : request.getHeaders()) {
            lastHeaders.put(field.getLowerCaseName(), field.getValue());
        }
        Fields query = Request.extractQueryParameters(request);
        var headers = response.getHeaders();
        byte[] answer;
        if (path.startsWith("/echo")) {
            response.setStatus(query.getValue("status") == null ? 200 : Integer.parseInt(query.getValue("status")));
            headers.put("Cache-Control", "no-store");
            headers.put("Content-Type", "text/plain; charset=utf-8");
            answer = (request.getMethod() + " " + target + " " + body).getBytes(StandardCharsets.UTF_8);
        } else if (path.startsWith("/cached")) {
            headers.put("Cache-Control", "public, max-age=60");
            headers.put("Surrogate-Key", "products all");
            headers.put("Content-Type", "text/plain; charset=utf-8");
            answer = ("call " + call + " for " + target).getBytes(StandardCharsets.UTF_8);
        } else if (path.startsWith("/text")) {
            headers.put("Cache-Control", "public, max-age=60");
            headers.put("ETag", "\"t1\"");
            headers.put("Content-Type", query.getValue("type") == null ? "text/html; charset=utf-8" : query.getValue("type"));
            if ("\"t1\"".equals(request.getHeaders().get("If-None-Match"))) {
                response.setStatus(304);
                callback.succeeded();
                return;
            }
            answer = TEXT.substring(0, TEXT_BYTES).getBytes(StandardCharsets.UTF_8);
        } else if (path.equals("/encoded")) {
            headers.put("Cache-Control", "public, max-age=60");
            headers.put("Content-Type", "text/plain; charset=utf-8");
            headers.put("Content-Encoding", "gzip");
            answer = gzip(TEXT);
        } else {
            headers.put("Cache-Control", "public, max-age=60");
            headers.put("Content-Type", "text/plain; charset=utf-8");
            answer = "small".getBytes(StandardCharsets.UTF_8);
        }
        headers.put("Content-Length", answer.length);
        response.write(true, ByteBuffer.wrap(answer), callback);
    }

    private final class Answering extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws IOException {
            answer(request, response, callback);
            return true;
        }
    }

    static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    int callsTo(String target) {
        AtomicInteger n = calls.get(target);
        return n == null ? 0 : n.get();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
