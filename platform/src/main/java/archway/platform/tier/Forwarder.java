package archway.platform.tier;

import archway.platform.problem.Problem;
import archway.platform.problem.ProblemException;
import archway.platform.telemetry.RequestIds;
import archway.platform.telemetry.Telemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The back of every tier: a reverse proxy on Jetty's {@link ProxyHandler.Reverse}, sending
 * each request to the origin its {@link Upstreams} picks and streaming the answer back.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Asynchronous.</b> Jetty's HTTP client sends the request and calls back as the
 *       answer arrives; no thread waits for an upstream.</li>
 *   <li><b>Headers.</b> Hop-by-hop headers are dropped (ProxyHandler), the rest forwarded;
 *       the request gets this tier's {@code X-Request-Id}, a {@code Via}, the
 *       {@link ForwardedHeaders} of its position, and the {@code traceparent} of a client
 *       span that is a child of the tier's server span. The upstream's {@code Server},
 *       {@code X-Powered-By} and {@code X-Request-Id} are not passed back.</li>
 *   <li><b>Outcomes.</b> Each attempt is reported to the {@link Upstreams}, once, as answered
 *       (status and time) or failed, so pools and circuit breakers see every result.</li>
 *   <li><b>Failures.</b> Nothing reached: {@code 502}; no answer within the timeout:
 *       {@code 504}; no upstream available: {@code 503} with {@code Retry-After}. Always a
 *       problem document; once the answer is streaming, the connection is cut instead.</li>
 *   <li><b>Retries</b> (when enabled): a {@code GET} or {@code HEAD} without a body whose
 *       attempt fails before anything was sent to the client is tried once more on another
 *       origin; that is safe because such a request changes nothing. So is a request of any
 *       method whose connection could not be made: nothing of it was sent. The
 *       {@link Upstreams} may refuse the retry (a retry budget) by picking nothing. The failed
 *       attempt's copied headers are removed first.</li>
 * </ul>
 */
public final class Forwarder extends ProxyHandler.Reverse {

    private static final String UPSTREAM = "archway.tier.upstream";
    private static final String RETRIED = "archway.tier.retried";
    private static final String CLIENT_SPAN = "archway.tier.clientSpan";
    private static final String ATTEMPT = "archway.tier.attempt";
    private static final String TIMEOUT = "archway.tier.timeout";
    private static final Map<String, String> RETRY_SOON = Map.of("Retry-After", "1");
    private static final int DEFAULT_MAX_CONNECTIONS_PER_UPSTREAM = 256;
    /**
     * Pooled upstream connections are closed after this idle time, below the 30 s at which
     * Jetty servers close theirs, so a request is never sent on a connection the upstream is
     * closing at that moment (which would fail a non-retried POST for nothing).
     */
    private static final long CLIENT_IDLE_TIMEOUT_MS = 15_000;

    private final Telemetry telemetry;
    private final Upstreams upstreams;
    private final Settings settings;

    /**
     * How a tier forwards.
     *
     * @param timeout          the longest wait for an upstream's complete answer ({@code 504} after)
     * @param connectTimeout   the longest wait for a connection ({@code 502} after)
     * @param forwardedHeaders what the upstream is told about the client
     * @param retryIdempotent  whether a failed attempt is tried once more elsewhere: a body-less
     *                         {@code GET}/{@code HEAD}, or any request whose connection could not be made
     * @param maxConnectionsPerUpstream the most connections pooled to one origin; requests beyond wait in its queue
     */
    public record Settings(Duration timeout, Duration connectTimeout, ForwardedHeaders forwardedHeaders, boolean retryIdempotent,
                           int maxConnectionsPerUpstream) {
        public Settings {
            ConfigCheck.positive("forward timeout", timeout);
            ConfigCheck.positive("forward connect timeout", connectTimeout);
            if (forwardedHeaders == null) {
                throw new IllegalArgumentException("forwarded headers policy must be set, was null");
            }
            ConfigCheck.positive("forward max connections per upstream", maxConnectionsPerUpstream);
        }

        /** No retries; connections must be made within a second (or the timeout, when shorter). */
        public static Settings of(Duration timeout, ForwardedHeaders forwardedHeaders) {
            Duration connect = timeout.compareTo(Duration.ofSeconds(1)) < 0 ? timeout : Duration.ofSeconds(1);
            return new Settings(timeout, connect, forwardedHeaders, false, DEFAULT_MAX_CONNECTIONS_PER_UPSTREAM);
        }

        public Settings withRetryOfIdempotentRequests() {
            return new Settings(timeout, connectTimeout, forwardedHeaders, true, maxConnectionsPerUpstream);
        }

        public Settings withConnections(Duration connect, int maxPerUpstream) {
            return new Settings(timeout, connect, forwardedHeaders, retryIdempotent, maxPerUpstream);
        }
    }

    public Forwarder(Telemetry telemetry, Upstreams upstreams, Settings settings) {
        super(Forwarder::upstreamUri);
        this.telemetry = telemetry;
        this.upstreams = upstreams;
        this.settings = settings;
        setViaHost("archway-" + telemetry.component());
        setUseServerThreadPool(true);
    }

    /**
     * Gives {@code request} its own upstream timeout instead of the {@link Settings}' one,
     * such as a gateway route's; set before the request reaches the forwarder.
     */
    public static void timeout(Request request, Duration timeout) {
        request.setAttribute(TIMEOUT, ConfigCheck.positive("forward timeout", timeout));
    }

    private Duration timeoutOf(Request request) {
        return request.getAttribute(TIMEOUT) instanceof Duration timeout ? timeout : settings.timeout();
    }

    /** The HTTP client requests are forwarded with (started with the server), for probes to the same upstreams. */
    public HttpClient client() {
        return getHttpClient();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        URI upstream;
        try {
            upstream = upstreams.pick(request, null);
        } catch (ProblemException e) {
            Problems.write(response, callback, e);
            return true;
        }
        if (upstream == null) {
            Problems.write(response, callback,
                    Problem.of(503, "no upstream instance is available to take this request now; retry shortly"), RETRY_SOON);
            return true;
        }
        return forward(request, response, new Settling(request, callback), upstream);
    }

    private boolean forward(Request request, Response response, Callback callback, URI upstream) {
        request.setAttribute(UPSTREAM, upstream);
        request.setAttribute(ATTEMPT, new Attempt(upstream, System.nanoTime()));
        return super.handle(request, response, callback);
    }

    /** One try at one upstream; tells the {@link Upstreams} how it ended, once. */
    private final class Attempt {
        private final URI upstream;
        private final long startedNanos;
        private final AtomicBoolean ended = new AtomicBoolean();

        Attempt(URI upstream, long startedNanos) {
            this.upstream = upstream;
            this.startedNanos = startedNanos;
        }

        void answered(Request request, int status) {
            if (ended.compareAndSet(false, true)) {
                upstreams.answered(request, upstream, status, System.nanoTime() - startedNanos);
            }
        }

        void failed(Request request, Throwable failure) {
            if (ended.compareAndSet(false, true)) {
                upstreams.failed(request, upstream, failure, System.nanoTime() - startedNanos);
            }
        }
    }

    private static Attempt attempt(Request request) {
        return (Attempt) request.getAttribute(ATTEMPT);
    }

    /**
     * The exchange's callback: when it completes, an attempt no proxy event reported (a path
     * of the proxy this class does not see) is reported as failed, so no upstream keeps
     * counting a request that has ended.
     */
    private static final class Settling extends Callback.Nested {
        private final Request request;

        Settling(Request request, Callback callback) {
            super(callback);
            this.request = request;
        }

        @Override
        public void succeeded() {
            settle(null);
            super.succeeded();
        }

        @Override
        public void failed(Throwable failure) {
            settle(failure);
            super.failed(failure);
        }

        private void settle(Throwable failure) {
            Attempt attempt = attempt(request);
            if (attempt != null) {
                attempt.failed(request, failure != null ? failure : new IllegalStateException("the exchange ended without an answer"));
            }
        }
    }

    /** The client's path and query on the picked origin. */
    private static HttpURI upstreamUri(Request request) {
        URI upstream = (URI) request.getAttribute(UPSTREAM);
        return HttpURI.build(request.getHttpURI())
                .scheme(upstream.getScheme())
                .host(upstream.getHost())
                .port(upstream.getPort());
    }

    @Override
    protected void configureHttpClient(HttpClient client) {
        super.configureHttpClient(client);
        client.setName(telemetry.component() + "-client");
        client.setConnectTimeout(settings.connectTimeout().toMillis());
        client.setIdleTimeout(CLIENT_IDLE_TIMEOUT_MS);
        client.setMaxConnectionsPerDestination(settings.maxConnectionsPerUpstream());
        // the client's own User-Agent (with Jetty's version) would stand in for a missing one
        client.setUserAgentField(null);
    }

    @Override
    protected org.eclipse.jetty.client.Request newProxyToServerRequest(Request in, HttpURI uri) {
        return super.newProxyToServerRequest(in, uri).timeout(timeoutOf(in).toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected org.eclipse.jetty.client.Request.Content newProxyToServerRequestContent(Request in, Response response,
                                                                                     org.eclipse.jetty.client.Request out) {
        return new UntouchedUntilRead(in);
    }

    /**
     * The client's body, streamed to the upstream as it is read. The HTTP client fails the
     * body when an attempt fails; while no byte of it was read (the connection was never
     * made), that failure is not passed to the client's request, so a retry elsewhere reads
     * the whole body.
     */
    private static final class UntouchedUntilRead extends ProxyHandler.ProxyRequestContent {
        private volatile boolean read;

        UntouchedUntilRead(Request in) {
            super(in);
        }

        @Override
        public Content.Chunk read() {
            read = true;
            return super.read();
        }

        @Override
        public void fail(Throwable failure) {
            if (read) {
                super.fail(failure);
            }
        }

        @Override
        public void fail(Throwable failure, boolean last) {
            if (read) {
                super.fail(failure, last);
            }
        }
    }

    @Override
    protected void addProxyHeaders(Request in, org.eclipse.jetty.client.Request out) {
        addViaHeader(in, out);
        settings.forwardedHeaders().apply(in, out);
        String requestId = ObservedHandler.requestId(in);
        if (requestId != null) {
            out.headers(headers -> headers.put(RequestIds.HEADER, requestId));
        }
        Span span = telemetry.startClientSpan(in.getMethod() + " upstream", ObservedHandler.span(in));
        span.setAttribute("server.address", String.valueOf(in.getAttribute(UPSTREAM)));
        out.attribute(CLIENT_SPAN, span);
        Telemetry.inject(span, out, TraceHeaders.OUT);
    }

    @Override
    protected HttpField filterServerToProxyResponseField(HttpField field) {
        HttpHeader header = field.getHeader();
        if (header == HttpHeader.SERVER || header == HttpHeader.X_POWERED_BY || field.is(RequestIds.HEADER)) {
            return null;
        }
        return field;
    }

    @Override
    protected void onProxyToClientResponseComplete(Request in, org.eclipse.jetty.client.Request out,
                                                   org.eclipse.jetty.client.Response upstreamResponse, Response response, Callback callback) {
        endClientSpan(out, upstreamResponse.getStatus(), null);
        attempt(in).answered(in, upstreamResponse.getStatus());
        super.onProxyToClientResponseComplete(in, out, upstreamResponse, response, callback);
    }

    @Override
    protected void onProxyToClientResponseFailure(Request in, org.eclipse.jetty.client.Request out,
                                                  org.eclipse.jetty.client.Response upstreamResponse, Response response,
                                                  Callback callback, Throwable failure) {
        endClientSpan(out, upstreamResponse == null ? 0 : upstreamResponse.getStatus(), failure);
        if (upstreamResponse != null) {
            attempt(in).answered(in, upstreamResponse.getStatus());
        } else {
            attempt(in).failed(in, failure);
        }
        super.onProxyToClientResponseFailure(in, out, upstreamResponse, response, callback, failure);
    }

    @Override
    protected void onServerToProxyResponseFailure(Request in, org.eclipse.jetty.client.Request out,
                                                  org.eclipse.jetty.client.Response upstreamResponse, Response response,
                                                  Callback callback, Throwable failure) {
        URI upstream = (URI) in.getAttribute(UPSTREAM);
        endClientSpan(out, 0, failure);
        attempt(in).failed(in, failure);
        if (response.isCommitted()) {
            // part of the answer is on its way: the client learns of the failure from a cut connection
            callback.failed(failure);
            return;
        }
        forgetHeadersOf(upstreamResponse, response);
        if (mayRetry(in, failure)) {
            in.setAttribute(RETRIED, Boolean.TRUE);
            URI next = pickForRetry(in, upstream);
            if (next != null) {
                forward(in, response, callback, next);
                return;
            }
        }
        Problems.write(response, callback, problemFor(in, failure));
    }

    private URI pickForRetry(Request in, URI failed) {
        try {
            return upstreams.pick(in, failed);
        } catch (ProblemException e) {
            return null;
        }
    }

    private Problem problemFor(Request in, Throwable failure) {
        if (Failures.isTimeout(failure)) {
            return Problem.of(504, "the upstream did not answer within " + timeoutOf(in).toMillis() + " ms");
        }
        return Problem.of(502, "the upstream could not be reached or failed before answering");
    }

    /**
     * A body-less {@code GET} or {@code HEAD} changes nothing, so it may be sent again; a
     * request of any method whose connection could not be made was not sent at all, and its
     * body is still unread (the proxy streams it only once connected), so it may go elsewhere.
     */
    private boolean mayRetry(Request in, Throwable failure) {
        return settings.retryIdempotent()
                && in.getAttribute(RETRIED) == null
                && (Failures.isConnectFailure(failure) || isIdempotentWithoutBody(in));
    }

    private static boolean isIdempotentWithoutBody(Request in) {
        return (HttpMethod.GET.is(in.getMethod()) || HttpMethod.HEAD.is(in.getMethod())) && RequestBodies.absent(in);
    }

    /** Removes what a failed attempt copied onto the response, so a retry or a problem starts clean. */
    private void forgetHeadersOf(org.eclipse.jetty.client.Response upstreamResponse, Response response) {
        if (upstreamResponse == null) {
            return;
        }
        for (HttpField field : upstreamResponse.getHeaders()) {
            if (filterServerToProxyResponseField(field) != null) {
                response.getHeaders().remove(field.getName());
            }
        }
    }

    private static void endClientSpan(org.eclipse.jetty.client.Request out, int status, Throwable failure) {
        if (!(out.getAttributes().get(CLIENT_SPAN) instanceof Span span)) {
            return;
        }
        if (status > 0) {
            span.setAttribute("http.response.status_code", status);
        }
        if (failure != null) {
            span.setStatus(StatusCode.ERROR, Failures.isTimeout(failure) ? "timeout"
                    : Failures.isConnectFailure(failure) ? "connect failure" : "failed");
        } else if (status >= 500) {
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }
}
