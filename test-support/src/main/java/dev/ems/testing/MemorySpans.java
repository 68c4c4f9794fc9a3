package dev.ems.testing;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * {@code OTEL_TRACES_EXPORTER=memory} for a service under test: what it exports, kept in memory, so that a test sees
 * what the production wiring (core's {@code Tracing}, OpenTelemetry's autoconfigure) exports. {@link #SETTINGS}
 * selects it, samples everything and exports at once.
 */
public final class MemorySpans implements ConfigurableSpanExporterProvider {
    /** The settings that make a service under test export every span here. */
    public static final Map<String, String> SETTINGS = Map.of(
            "otel.traces.exporter", "memory", "otel.traces.sampler", "always_on", "otel.bsp.schedule.delay", "10");

    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();

    /** The finished spans, waiting up to 5 s until {@code until} holds for them. */
    public static List<SpanData> awaitSpans(Predicate<List<SpanData>> until) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> until.test(SPANS.getFinishedSpanItems()));
        return SPANS.getFinishedSpanItems();
    }

    public static void reset() {
        SPANS.reset();
    }

    @Override
    public SpanExporter createExporter(ConfigProperties config) {
        return new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                return SPANS.export(spans);
            }

            @Override
            public CompletableResultCode flush() {
                return SPANS.flush();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess(); // the spans outlive each service a test starts
            }
        };
    }

    @Override
    public String getName() {
        return "memory";
    }
}
