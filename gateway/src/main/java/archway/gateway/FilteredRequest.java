package archway.gateway;

import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;

/** A client request seen without some of its headers, for everything after the gateway handler that removed them. */
final class FilteredRequest extends Request.Wrapper {

    private final HttpFields headers;

    private FilteredRequest(Request request, HttpFields headers) {
        super(request);
        this.headers = headers;
    }

    /** {@code request} without the headers {@code removed} picks; {@code request} itself when it has none (the usual case: nothing is copied). */
    static Request without(Request request, Predicate<HttpField> removed) {
        for (HttpField field : request.getHeaders()) {
            if (removed.test(field)) {
                return new FilteredRequest(request, kept(request.getHeaders(), removed));
            }
        }
        return request;
    }

    @Override
    public HttpFields getHeaders() {
        return headers;
    }

    private static HttpFields kept(HttpFields all, Predicate<HttpField> removed) {
        HttpFields.Mutable kept = HttpFields.build(all.size());
        for (HttpField field : all) {
            if (!removed.test(field)) {
                kept.add(field);
            }
        }
        return kept.asImmutable();
    }
}
