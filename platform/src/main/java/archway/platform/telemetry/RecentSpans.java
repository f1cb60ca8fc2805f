package archway.platform.telemetry;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The in-process trace store: a fixed ring of the most recent finished spans. It is the
 * default exporter (no collector needed) and the source of trace views; an OTLP exporter
 * can be added beside it when a user runs Jaeger or Tempo.
 */
public final class RecentSpans implements SpanExporter {

    private final AtomicReferenceArray<SpanData> ring;
    private final AtomicLong written = new AtomicLong();

    RecentSpans(int capacity) {
        this.ring = new AtomicReferenceArray<>(capacity);
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        for (SpanData span : spans) {
            ring.set((int) (written.getAndIncrement() % ring.length()), span);
        }
        return CompletableResultCode.ofSuccess();
    }

    /** The kept spans of one trace, in the order they finished. */
    public List<SpanData> ofTrace(String traceId) {
        List<SpanData> found = new ArrayList<>();
        long end = written.get();
        for (long i = Math.max(0, end - ring.length()); i < end; i++) {
            SpanData span = ring.get((int) (i % ring.length()));
            if (span != null && span.getTraceId().equals(traceId)) {
                found.add(span);
            }
        }
        return found;
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
