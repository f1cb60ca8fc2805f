package archway.gateway;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;

/**
 * A client request without its {@code X-Archway-*} headers. Those are for Archway's own
 * components to tell each other things; a service must never trust one a client made up.
 */
final class WithoutInternalHeaders extends Request.Wrapper {

    private static final String PREFIX = "X-Archway-";

    private final HttpFields headers;

    private WithoutInternalHeaders(Request request, HttpFields headers) {
        super(request);
        this.headers = headers;
    }

    /** {@code request} itself when it has no internal header (the usual case: nothing is copied). */
    static Request of(Request request) {
        for (HttpField field : request.getHeaders()) {
            if (isInternal(field)) {
                return new WithoutInternalHeaders(request, withoutInternal(request.getHeaders()));
            }
        }
        return request;
    }

    @Override
    public HttpFields getHeaders() {
        return headers;
    }

    private static boolean isInternal(HttpField field) {
        return field.getName().regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    private static HttpFields withoutInternal(HttpFields all) {
        HttpFields.Mutable kept = HttpFields.build(all.size());
        for (HttpField field : all) {
            if (!isInternal(field)) {
                kept.add(field);
            }
        }
        return kept.asImmutable();
    }
}
