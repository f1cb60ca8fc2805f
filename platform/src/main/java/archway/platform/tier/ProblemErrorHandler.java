package archway.platform.tier;

import archway.platform.telemetry.RequestIds;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (a malformed request line, an ambiguous or escaping URI path,
 * oversized headers, a handler that failed) as problem documents instead of Jetty's HTML
 * page, with an {@code X-Request-Id} like every other answer and {@code nosniff} (these are
 * answered before any tier handler could add it). The detail is Jetty's reason phrase at
 * most, never a cause's text or class name. Public for listeners built outside a {@link TierServer}.
 */
public final class ProblemErrorHandler extends ErrorHandler {

    private static final PreEncodedHttpField NOSNIFF = new PreEncodedHttpField("X-Content-Type-Options", "nosniff");

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        // a request Jetty refused before any handler saw it still gets an id to quote
        if (!response.getHeaders().contains(RequestIds.HEADER)) {
            response.getHeaders().put(RequestIds.HEADER, RequestIds.acceptOrCreate(request.getHeaders().get(RequestIds.HEADER)));
        }
        response.getHeaders().put(NOSNIFF);
        int status = response.getStatus();
        String detail = null;
        if (request.getAttribute(ERROR_EXCEPTION) instanceof HttpException http) {
            status = http.getCode();
            detail = http.getReason();
        }
        if (status < 400) {
            status = HttpStatus.INTERNAL_SERVER_ERROR_500;
        }
        if (HttpStatus.hasNoBody(status)) {
            response.setStatus(status);
            callback.succeeded();
            return true;
        }
        Problems.write(response, callback, status, describe(status, detail));
        return true;
    }

    private static String describe(int status, String reason) {
        if (status >= 500) {
            return "the server could not complete the request";
        }
        String base = switch (status) {
            case 400 -> "the request is malformed";
            case 404 -> "no such resource";
            case 413 -> "the request is larger than this server accepts";
            case 414 -> "the request URI is too long";
            case 431 -> "the request headers are too large";
            default -> HttpStatus.getMessage(status);
        };
        return reason == null || reason.isBlank() || reason.equals(HttpStatus.getMessage(status)) ? base : base + ": " + reason;
    }
}
