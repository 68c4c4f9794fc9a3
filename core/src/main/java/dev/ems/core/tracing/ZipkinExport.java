package dev.ems.core.tracing;

import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessorBuilder;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * {@code OTEL_TRACES_EXPORTER=zipkin}, with OpenTelemetry's own Zipkin exporter sending over the JDK's URLConnection:
 * the autoconfigure module's Zipkin provider would send with OkHttp (and Kotlin), which EMS does not ship. The setting,
 * {@code OTEL_EXPORTER_ZIPKIN_ENDPOINT} and the batch processor's {@code OTEL_BSP_*} mean what OpenTelemetry
 * documents; only the sender differs.
 */
final class ZipkinExport {
    static final String ZIPKIN = "zipkin";
    private static final String EXPORTERS = "otel.traces.exporter";
    private static final String ENDPOINT = "otel.exporter.zipkin.endpoint";
    private static final String DEFAULT_ENDPOINT = "http://localhost:9411/api/v2/spans";

    private ZipkinExport() {}

    /** The exporters for autoconfigure to build: those asked for, Zipkin taken out (added below instead). */
    static Map<String, String> withoutZipkin(ConfigProperties config) {
        List<String> exporters = config.getList(EXPORTERS);
        if (!exporters.contains(ZIPKIN)) {
            return Map.of();
        }
        List<String> others =
                exporters.stream().filter(name -> !name.equals(ZIPKIN)).toList();
        return Map.of(EXPORTERS, others.isEmpty() ? "none" : String.join(",", others), "ems.zipkin", "true");
    }

    /** Adds the Zipkin export when it was asked for. */
    static SdkTracerProviderBuilder addIfAsked(SdkTracerProviderBuilder builder, ConfigProperties config) {
        if (!config.getBoolean("ems.zipkin", false)) {
            return builder;
        }
        ZipkinSpanExporter exporter = ZipkinSpanExporter.builder()
                .setSender(URLConnectionSender.create(config.getString(ENDPOINT, DEFAULT_ENDPOINT)))
                .build();
        return builder.addSpanProcessor(batches(exporter, config));
    }

    /** The batch processor as autoconfigure builds it for its own exporters: the {@code otel.bsp.*} settings. */
    private static BatchSpanProcessor batches(SpanExporter exporter, ConfigProperties config) {
        BatchSpanProcessorBuilder batches = BatchSpanProcessor.builder(exporter);
        Optional.ofNullable(config.getDuration("otel.bsp.schedule.delay")).ifPresent(batches::setScheduleDelay);
        Optional.ofNullable(config.getInt("otel.bsp.max.queue.size")).ifPresent(batches::setMaxQueueSize);
        Optional.ofNullable(config.getInt("otel.bsp.max.export.batch.size")).ifPresent(batches::setMaxExportBatchSize);
        Optional.ofNullable(config.getDuration("otel.bsp.export.timeout")).ifPresent(batches::setExporterTimeout);
        return batches.build();
    }
}
