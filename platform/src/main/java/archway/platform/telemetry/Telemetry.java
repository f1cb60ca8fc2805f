package archway.platform.telemetry;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.time.Duration;

/**
 * One component's telemetry: its tracer (OpenTelemetry, W3C trace context in and out),
 * its metrics registry (Micrometer, Prometheus text) and its recent spans.
 *
 * <p>Every component of the diagram creates exactly one, named after itself
 * ({@code edge}, {@code gateway}, {@code balancer}, {@code app-1}, ...), and uses it to
 * continue the caller's trace on each request and to hand it on to the next hop.
 */
public final class Telemetry implements AutoCloseable {

    private static final TextMapPropagator PROPAGATOR = W3CTraceContextPropagator.getInstance();

    private final String component;
    private final SdkTracerProvider tracerProvider;
    private final Tracer tracer;
    private final PrometheusMeterRegistry registry;
    private final RecentSpans recentSpans;

    private Telemetry(String component, int keptSpans) {
        this.component = component;
        this.recentSpans = new RecentSpans(keptSpans);
        this.tracerProvider = SdkTracerProvider.builder()
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), component)))
                // spans are handed to the store off the request path, in batches
                .addSpanProcessor(BatchSpanProcessor.builder(recentSpans)
                        .setScheduleDelay(Duration.ofMillis(200))
                        .setMaxQueueSize(16_384)
                        .setMaxExportBatchSize(1_024)
                        .build())
                .build();
        this.tracer = tracerProvider.get("archway." + component);
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("component", component);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        FunctionCounter.builder("archway.access.log.dropped", AccessLog.class, log -> AccessLog.dropped())
                .description("access-log lines dropped because the writer could not keep up")
                .register(registry);
    }

    /** Telemetry for the named component, keeping its last 2,048 spans in memory. */
    public static Telemetry create(String component) {
        return new Telemetry(component, 2048);
    }

    public String component() {
        return component;
    }

    public Tracer tracer() {
        return tracer;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public RecentSpans recentSpans() {
        return recentSpans;
    }

    /** The Prometheus text exposition of every meter of this component. */
    public String scrape() {
        return registry.scrape();
    }

    /**
     * Starts the server span of an incoming request, continuing the caller's trace when the
     * carrier holds a valid {@code traceparent}, or starting a new trace otherwise.
     */
    public <C> Span startServerSpan(String name, C carrier, TextMapGetter<C> getter) {
        Context parent = PROPAGATOR.extract(Context.root(), carrier, getter);
        return tracer.spanBuilder(name).setParent(parent).setSpanKind(SpanKind.SERVER).startSpan();
    }

    /** Starts a client span under {@code parent}, for a call to the next hop. */
    public Span startClientSpan(String name, Span parent) {
        return tracer.spanBuilder(name).setParent(Context.root().with(parent)).setSpanKind(SpanKind.CLIENT).startSpan();
    }

    /** Writes {@code span}'s context into an outgoing request as {@code traceparent}. */
    public static <C> void inject(Span span, C carrier, TextMapSetter<C> setter) {
        PROPAGATOR.inject(Context.root().with(span), carrier, setter);
    }

    @Override
    public void close() {
        tracerProvider.close();
        registry.close();
    }
}
