package dev.ems.core.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@code OTEL_SDK_DISABLED} means here: nothing recorded, the caller's trace context passed on. */
class TracingTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

    private static Tracing tracing(String disabled) {
        return Tracing.create(
                "test-service",
                Config.just(ConfigSources.create(Map.of(
                        "otel.sdk.disabled", disabled,
                        "otel.traces.exporter", "memory",
                        "otel.traces.sampler", "always_on"))));
    }

    @BeforeEach
    void clear() {
        MemorySpanExporterProvider.SPANS.reset();
    }

    @Test
    void disabledRecordsNothingAndPassesTheCallersContextOn() {
        Map<String, String> onward = new HashMap<>();
        Span span;
        try (Tracing tracing = tracing("true")) {
            Context caller = Tracing.fromTraceparent(CALLER);
            span = tracing.tracer().spanBuilder("GET /things").setParent(caller).startSpan();
            try (Scope scope = span.makeCurrent()) {
                tracing.inject(onward, Map::put);
                assertThat(Tracing.currentTraceId())
                        .as("the caller's trace, for logs and audit entries")
                        .hasValue(TRACE_ID);
            }
            span.end();
        }
        assertThat(span.isRecording()).isFalse();
        assertThat(onward.get("traceparent"))
                .as("the call onward carries the caller's trace")
                .isEqualTo(CALLER);
        assertThat(MemorySpanExporterProvider.SPANS.getFinishedSpanItems())
                .as("nothing exported, even with a sampler that samples all")
                .isEmpty();
    }

    @Test
    void disabledWithoutACallerHasNoTrace() {
        try (Tracing tracing = tracing("true")) {
            Span span = tracing.tracer().spanBuilder("GET /things").startSpan();
            assertThat(span.getSpanContext().isValid()).isFalse();
            span.end();
        }
    }

    @Test
    void enabledRecordsAndExports() {
        try (Tracing tracing = tracing("false")) {
            Span span = tracing.tracer().spanBuilder("GET /things").startSpan();
            assertThat(span.isRecording()).isTrue();
            span.end();
        }
        assertThat(MemorySpanExporterProvider.SPANS.getFinishedSpanItems())
                .singleElement()
                .satisfies(data -> assertThat(data.getName()).isEqualTo("GET /things"));
    }
}
