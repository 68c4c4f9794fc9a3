package dev.ems.core.log;

import io.helidon.logging.common.HelidonMdc;
import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One JSON object per log line: {@code time, level, service, logger, request_id, trace_id, span_id (while a request
 * is served), message}, the typed fields a
 * logger passes as a {@code Map} parameter (the access log's method, status, duration_ms...), and the stack trace
 * of a logged exception. Helidon's HelidonJsonFormatter writes only string fields taken from a format string, so
 * numbers such as status or duration_ms could not stay numbers there.
 */
public final class JsonLogFormatter extends Formatter {
    private final String service;
    // created once: looking the JSON provider up per line would itself log (at debug) from inside the formatter
    private final JsonGeneratorFactory generators = Json.createGeneratorFactory(Map.of());

    public JsonLogFormatter(String service) {
        this.service = service;
    }

    @Override
    public String format(LogRecord record) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = generators.createGenerator(out)) {
            json.writeStartObject()
                    .write("time", Instant.ofEpochMilli(record.getMillis()).toString())
                    .write("level", LogLevels.name(record.getLevel()))
                    .write("service", service)
                    .write("logger", String.valueOf(record.getLoggerName()));
            HelidonMdc.get("request_id").ifPresent(id -> json.write("request_id", id));
            HelidonMdc.get("trace_id").ifPresent(id -> json.write("trace_id", id));
            HelidonMdc.get("span_id").ifPresent(id -> json.write("span_id", id));
            json.write("message", String.valueOf(formatMessage(record)));
            Object[] params = record.getParameters();
            if (params != null) {
                for (Object param : params) {
                    if (param instanceof Map<?, ?> fields) {
                        fields.forEach((k, v) -> writeField(json, String.valueOf(k), v));
                    }
                }
            }
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                json.write("exception", trace.toString());
            }
            json.writeEnd();
        }
        return out.append(System.lineSeparator()).toString();
    }

    private static void writeField(JsonGenerator json, String name, Object value) {
        switch (value) {
            case null -> json.writeNull(name);
            case Integer i -> json.write(name, i);
            case Long l -> json.write(name, l);
            case Double d -> json.write(name, Math.round(d * 1000) / 1000.0);
            case Boolean b -> json.write(name, b);
            default -> json.write(name, value.toString());
        }
    }
}
