package archway.platform.tier;

import archway.platform.problem.Problem;
import archway.platform.problem.ProblemException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Writes {@code application/problem+json} answers from Jetty core handlers.
 *
 * <p>A tier's handler answers a problem where it finds it, through the response it was
 * given, rather than throwing to one outer mapper: the response it holds may be a wrapper
 * that adds headers at commit (CORS, {@code X-Cache}), and a problem needs those too (a
 * browser script cannot read a {@code 401} without CORS headers). Exceptions that escape
 * anyway become a {@code 500} problem at the front of the tier.
 */
public final class Problems {

    private static final PreEncodedHttpField CONTENT_TYPE = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
    private static final PreEncodedHttpField NO_STORE = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "no-store");

    private Problems() {
    }

    /** Answers with a problem of {@code status}, completing {@code callback}. */
    public static void write(Response response, Callback callback, int status, String detail) {
        write(response, callback, Problem.of(status, detail), Map.of());
    }

    /** Answers with {@code problem}. */
    public static void write(Response response, Callback callback, Problem problem) {
        write(response, callback, problem, Map.of());
    }

    /** Answers with the problem of a thrown {@link ProblemException}, with its headers. */
    public static void write(Response response, Callback callback, ProblemException e) {
        write(response, callback, e.problem(), e.headers());
    }

    /**
     * Answers with {@code problem} and {@code headers}. Problems are marked {@code no-store}:
     * an error is about this request, never something a cache should repeat.
     */
    public static void write(Response response, Callback callback, Problem problem, Map<String, String> headers) {
        byte[] body = problem.toJson().getBytes(StandardCharsets.UTF_8);
        response.setStatus(problem.status());
        var fields = response.getHeaders();
        headers.forEach(fields::put);
        fields.put(CONTENT_TYPE);
        fields.put(NO_STORE);
        fields.put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
