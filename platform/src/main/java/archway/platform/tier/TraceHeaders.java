package archway.platform.tier;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import org.eclipse.jetty.server.Request;

/** W3C trace context in and out of Jetty: read from a server request, written to a client request. */
final class TraceHeaders {

    static final TextMapGetter<Request> IN = (request, name) -> request == null ? null : request.getHeaders().get(name);

    static final TextMapSetter<org.eclipse.jetty.client.Request> OUT = (request, name, value) -> {
        if (request != null) {
            request.headers(headers -> headers.put(name, value));
        }
    };

    private TraceHeaders() {
    }
}
