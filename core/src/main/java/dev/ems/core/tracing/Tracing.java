package dev.ems.core.tracing;

import dev.ems.core.config.StartupException;
import io.helidon.config.Config;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A service's tracing, built once at startup: the OpenTelemetry SDK as its autoconfigure module configures it from
 * OpenTelemetry's own variables, so operators use what they know: {@code OTEL_SERVICE_NAME}, {@code
 * OTEL_TRACES_EXPORTER} ({@code otlp}, {@code zipkin} or {@code none}), {@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code
 * OTEL_EXPORTER_ZIPKIN_ENDPOINT}, {@code OTEL_TRACES_SAMPLER} and {@code OTEL_TRACES_SAMPLER_ARG}, {@code
 * OTEL_PROPAGATORS}. Helidon maps those variables onto the same {@code otel.*} keys, which are handed to the SDK as
 * well, so a test sets them as any other setting.
 * <p>
 * EMS's defaults, below everything set: the service's own name, no exporter (a local run needs nothing), parent-based
 * sampling of 10 % of new traces, W3C {@code tracecontext} and {@code baggage}, exports of up to 2048 spans (a queue of
 * 8192); the SDK's metrics and logs exporters are off (Prometheus and the JSON log do that).
 * <p>
 * {@code OTEL_SDK_DISABLED=true} turns tracing off: nothing is recorded, and a caller's trace context still passes
 * through (into the log lines, the audit entries and the calls onward), so the services behind keep the caller's trace.
 * The SDK's own "disabled" is not that: it still records every span (sampler always on) into a processor that drops
 * them, which costs more than the default 10 %.
 */
public final class Tracing implements AutoCloseable {
    private static final String INSTRUMENTATION = "dev.ems";
    private static final String TRACEPARENT = "traceparent";
    private static final TextMapGetter<Map<String, String>> MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;
    private final Runnable shutdown;

    private Tracing(OpenTelemetry openTelemetry, Runnable shutdown) {
        this.openTelemetry = openTelemetry;
        this.tracer = openTelemetry.getTracer(INSTRUMENTATION);
        this.shutdown = shutdown;
    }

    /** The SDK for {@code service}, configured from the environment and {@code config}'s {@code otel.*} keys. */
    public static Tracing create(String service, Config config) {
        Map<String, String> properties = new HashMap<>();
        properties.put("otel.service.name", service);
        properties.put("otel.traces.exporter", "none");
        properties.put("otel.traces.sampler", "parentbased_traceidratio");
        properties.put("otel.traces.sampler.arg", "0.1");
        properties.put("otel.propagators", "tracecontext,baggage");
        properties.put("otel.metrics.exporter", "none");
        properties.put("otel.logs.exporter", "none");
        // export in fewer, larger posts than the SDK's 512 spans (README, "What tracing costs"); the queue holds four
        // posts
        properties.put("otel.bsp.max.export.batch.size", "2048");
        properties.put("otel.bsp.max.queue.size", "8192");
        config.get("otel")
                .traverse()
                .filter(Config::hasValue)
                .forEach(node ->
                        properties.put(node.key().toString(), node.asString().get()));
        OpenTelemetrySdk sdk;
        try {
            sdk = AutoConfiguredOpenTelemetrySdk.builder()
                    .disableShutdownHook() // the service's own shutdown closes it, after the last request
                    .addPropertiesSupplier(() -> properties)
                    .addPropertiesCustomizer(ZipkinExport::withoutZipkin)
                    .addTracerProviderCustomizer(ZipkinExport::addIfAsked)
                    .build()
                    .getOpenTelemetrySdk();
        } catch (ConfigurationException e) {
            throw new StartupException("the tracing settings (OTEL_*) are not valid: " + e.getMessage());
        }
        if (disabled(properties)) {
            return new Tracing(OpenTelemetry.propagating(sdk.getPropagators()), sdk::close);
        }
        return new Tracing(sdk, () -> sdk.shutdown().join(10, TimeUnit.SECONDS));
    }

    /** {@code otel.sdk.disabled} as the SDK reads it: a system property, else the environment, else the settings. */
    private static boolean disabled(Map<String, String> properties) {
        String value = System.getProperty("otel.sdk.disabled");
        if (value == null) {
            value = System.getenv("OTEL_SDK_DISABLED");
        }
        if (value == null) {
            value = properties.get("otel.sdk.disabled");
        }
        return Boolean.parseBoolean(value == null ? null : value.trim());
    }

    /** Tracing that records nothing and propagates nothing (for code run outside a service). */
    public static Tracing noop() {
        return new Tracing(OpenTelemetry.noop(), () -> {});
    }

    public Tracer tracer() {
        return tracer;
    }

    /** The trace context of {@code carrier}'s headers (W3C traceparent, tracestate, baggage), over {@code parent}. */
    public <C> Context extract(Context parent, C carrier, TextMapGetter<C> getter) {
        return propagator().extract(parent, carrier, getter);
    }

    /** Writes the current trace context into {@code carrier}'s headers. */
    public <C> void inject(C carrier, TextMapSetter<C> setter) {
        propagator().inject(Context.current(), carrier, setter);
    }

    /**
     * The current span's W3C {@code traceparent}, to keep with work done later (an outbox row), whatever propagators
     * are configured for the wire; empty outside a trace.
     */
    public static Optional<String> currentTraceparent() {
        Map<String, String> carrier = new HashMap<>(2);
        W3CTraceContextPropagator.getInstance().inject(Context.current(), carrier, Map::put);
        return Optional.ofNullable(carrier.get(TRACEPARENT));
    }

    /** The current span's trace id (32 hex digits); empty outside a trace. */
    public static Optional<String> currentTraceId() {
        SpanContext span = Span.current().getSpanContext();
        return span.isValid() ? Optional.of(span.getTraceId()) : Optional.empty();
    }

    /** The context {@link #currentTraceparent()} kept: a remote parent, or the root when there is none. */
    public static Context fromTraceparent(String traceparent) {
        return traceparent == null
                ? Context.root()
                : W3CTraceContextPropagator.getInstance()
                        .extract(Context.root(), Map.of(TRACEPARENT, traceparent), MAP);
    }

    private TextMapPropagator propagator() {
        return openTelemetry.getPropagators().getTextMapPropagator();
    }

    /** Exports what is still buffered, then stops. */
    @Override
    public void close() {
        shutdown.run();
    }
}
