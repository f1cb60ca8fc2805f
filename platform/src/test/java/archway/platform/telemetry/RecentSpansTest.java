package archway.platform.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecentSpansTest {

    private final RecentSpans recent = new RecentSpans(3);
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(recent)) // exports as each span ends
            .build();
    private final Tracer tracer = provider.get("recent-spans-test");

    @AfterEach
    void close() {
        provider.close();
    }

    /** Ends one span in a trace of its own and returns that trace's id. */
    private String finishTrace(String name) {
        Span span = tracer.spanBuilder(name).setNoParent().startSpan();
        span.end();
        return span.getSpanContext().getTraceId();
    }

    @Test
    void findsTheSpansOfATraceInTheOrderTheyFinished() {
        Span root = tracer.spanBuilder("root").setNoParent().startSpan();
        Span child = tracer.spanBuilder("child").setParent(Context.root().with(root)).startSpan();
        child.end();
        root.end();
        String other = finishTrace("other");

        assertThat(recent.ofTrace(root.getSpanContext().getTraceId())).extracting(SpanData::getName).containsExactly("child", "root");
        assertThat(recent.ofTrace(other)).extracting(SpanData::getName).containsExactly("other");
        assertThat(recent.ofTrace("0af7651916cd43dd8448eb211c80319c")).isEmpty();
    }

    @Test
    void keepsOnlyTheMostRecentSpans() {
        List<String> traces = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            traces.add(finishTrace("span-" + i));
        }

        for (int i = 0; i < 5; i++) {
            assertThat(recent.ofTrace(traces.get(i))).as("span-" + i + " was pushed out").isEmpty();
        }
        for (int i = 5; i < 8; i++) {
            assertThat(recent.ofTrace(traces.get(i))).extracting(SpanData::getName).containsExactly("span-" + i);
        }
    }
}
