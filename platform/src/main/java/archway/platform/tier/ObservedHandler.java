package archway.platform.tier;

import archway.platform.telemetry.AccessLog;
import archway.platform.telemetry.RequestIds;
import archway.platform.telemetry.Telemetry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front of every tier: what each request gets whatever the tier does with it.
 *
 * <ul>
 *   <li>an {@code X-Request-Id}, the caller's when sane, on the response (and, through
 *       {@link Forwarder}, on the forwarded request);</li>
 *   <li>a server span continuing the caller's {@code traceparent}, ended when the response
 *       is complete, with one access-log line carrying its trace id;</li>
 *   <li>a latency sample in {@code http.server.requests}, tagged by status class;</li>
 *   <li>the tier's local {@code /health}, {@code /ready} and {@code /metrics} (unless the
 *       tier serves them on a listener of its own, as the standalone edge does);</li>
 *   <li>a {@code 400} problem for a path with {@code .} or {@code ..} segments, which no tier takes;</li>
 *   <li>a problem document when nothing inside handles the request or a handler throws.</li>
 * </ul>
 */
final class ObservedHandler extends Handler.Wrapper {

    static final String REQUEST_ID = "archway.tier.requestId";
    static final String SPAN = "archway.tier.span";
    private static final Logger LOG = LoggerFactory.getLogger(ObservedHandler.class);

    private final Telemetry telemetry;
    private final LocalEndpoints local;
    /** Timers by status class: index 1-5 for 1xx-5xx, 0 for anything else. Built once: the hot path only records. */
    private final Timer[] timers = new Timer[6];

    /** @param ready whether the tier can serve now, for its {@code /ready}; {@code null} when it serves no local endpoints */
    ObservedHandler(Telemetry telemetry, BooleanSupplier ready, Handler tier) {
        super(tier);
        this.telemetry = telemetry;
        this.local = ready == null ? null : new LocalEndpoints(telemetry, ready);
        for (int i = 0; i < timers.length; i++) {
            timers[i] = Timer.builder("http.server.requests")
                    .description("requests answered by this tier, by status class")
                    .tag("status", i == 0 ? "other" : i + "xx")
                    .register(telemetry.registry());
        }
    }

    /**
     * Every tier handles requests without blocking: forwarding is asynchronous, the edge
     * reads object storage on its own executor, the rest is CPU work. Saying so lets Jetty
     * run a request on the selector thread that read it instead of handing it to another
     * thread and waking the selector afterwards; on the edge's cache hits that hand-off was
     * the largest single cost in the profile.
     */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    /** The request id of a request this handler has seen. */
    static String requestId(Request request) {
        return (String) request.getAttribute(REQUEST_ID);
    }

    /** The server span of a request this handler has seen, or an invalid (no-op) span. */
    static Span span(Request request) {
        return request.getAttribute(SPAN) instanceof Span span ? span : Span.getInvalid();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long started = System.nanoTime();
        String requestId = RequestIds.acceptOrCreate(request.getHeaders().get(RequestIds.HEADER));
        response.getHeaders().put(RequestIds.HEADER, requestId);
        Span span = telemetry.startServerSpan(request.getMethod() + " " + request.getHttpURI().getPath(), request, TraceHeaders.IN);
        request.setAttribute(REQUEST_ID, requestId);
        request.setAttribute(SPAN, span);
        Completion done = new Completion(request, response, callback, span, requestId, started);
        try {
            if (hasDotSegment(request.getHttpURI().getPath())) {
                // Jetty would resolve them (RFC 3986), turning /api/v1/../../x into /x: no tier
                // should see a path other than the one its client meant, so none is taken
                Problems.write(response, done, 400, "the path must not contain '.' or '..' segments");
            } else if ((local == null || !local.handle(request, response, done)) && !super.handle(request, response, done)) {
                Problems.write(response, done, 404, "no resource at " + request.getHttpURI().getPath());
            }
        } catch (Throwable failure) {
            LOG.error("{} failed on {} {}", telemetry.component(), request.getMethod(), request.getHttpURI().getPath(), failure);
            if (response.isCommitted()) {
                done.failed(failure);
            } else {
                Problems.write(response, done, 500, "the " + telemetry.component() + " could not complete the request; it has been logged");
            }
        }
        return true;
    }

    private static boolean hasDotSegment(String rawPath) {
        if (rawPath == null || !rawPath.contains("/.")) {
            return false;
        }
        for (String segment : rawPath.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return true;
            }
        }
        return false;
    }

    /** Ends the request's span, records its latency and logs it, then completes the real callback. */
    private final class Completion implements Callback {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final Span span;
        private final String requestId;
        private final long started;

        Completion(Request request, Response response, Callback callback, Span span, String requestId, long started) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.span = span;
            this.requestId = requestId;
            this.started = started;
        }

        @Override
        public void succeeded() {
            finish(response.getStatus());
            callback.succeeded();
        }

        @Override
        public void failed(Throwable failure) {
            // Jetty answers 500 itself when the response is not committed yet.
            finish(response.isCommitted() ? response.getStatus() : 500);
            callback.failed(failure);
        }

        @Override
        public InvocationType getInvocationType() {
            return callback.getInvocationType();
        }

        private void finish(int status) {
            int effective = status == 0 ? 200 : status;
            long nanos = System.nanoTime() - started;
            span.setAttribute("http.response.status_code", effective);
            if (effective >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
            int statusClass = effective / 100;
            timers[statusClass >= 1 && statusClass <= 5 ? statusClass : 0].record(nanos, TimeUnit.NANOSECONDS);
            AccessLog.log(telemetry.component(), span.getSpanContext().getTraceId(), requestId, request.getMethod(),
                    request.getHttpURI().getPathQuery(), effective, nanos);
        }
    }
}
