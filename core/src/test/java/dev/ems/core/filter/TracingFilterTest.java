package dev.ems.core.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.core.log.JsonLogFormatter;
import dev.ems.core.tracing.MemorySpanExporterProvider;
import dev.ems.core.tracing.Tracing;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server span of each request, with the SDK wired as in production ({@link Tracing#create}, exporting to memory
 * here): it continues an incoming W3C trace or starts one, is named by method and route template, carries the status,
 * is current while the request is served (log lines carry its ids, outbound headers continue it), and health,
 * metrics and OpenAPI are left out.
 */
class TracingFilterTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_ID = "00f067aa0ba902b7";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> LOG_LINES = new CopyOnWriteArrayList<>();
    private static final Map<String, String> OUTBOUND = new HashMap<>();
    private static final Logger LOGGER = Logger.getLogger("dev.ems.test.handler");
    private static final Handler CAPTURE = new Handler() {
        private final JsonLogFormatter format = new JsonLogFormatter("test-service");

        @Override
        public void publish(LogRecord record) {
            LOG_LINES.add(format.format(record)); // formatted on the request's thread, as the service's handler does
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private static Tracing tracing;
    private static WebServer server;

    @BeforeAll
    static void start() {
        tracing = Tracing.create(
                "test-service",
                Config.just(ConfigSources.create(Map.of(
                        "otel.traces.exporter", "memory",
                        "otel.traces.sampler", "always_on",
                        "otel.bsp.schedule.delay", "10"))));
        LOGGER.addHandler(CAPTURE);
        LOGGER.setLevel(Level.INFO);
        server = WebServer.builder()
                .port(0)
                .routing(routing -> routing.addFilter(new RequestIdFilter())
                        .addFilter(new TracingFilter(tracing))
                        .get("/things/{id}", (req, res) -> {
                            LOGGER.info("serving a thing");
                            synchronized (OUTBOUND) {
                                tracing.inject(OUTBOUND, (carrier, key, value) -> carrier.put(key, value));
                            }
                            res.send("ok");
                        })
                        .get("/health", (req, res) -> res.send("up")))
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        server.stop();
        tracing.close();
        LOGGER.removeHandler(CAPTURE);
    }

    @BeforeEach
    void clear() {
        MemorySpanExporterProvider.SPANS.reset();
        LOG_LINES.clear();
    }

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static SpanData onlySpan() {
        await().atMost(Duration.ofSeconds(5))
                .until(() ->
                        !MemorySpanExporterProvider.SPANS.getFinishedSpanItems().isEmpty());
        List<SpanData> spans = MemorySpanExporterProvider.SPANS.getFinishedSpanItems();
        assertThat(spans).hasSize(1);
        return spans.getFirst();
    }

    @Test
    void anIncomingTraceIsContinuedAndTheSpanIsNamedByTheRouteTemplate() throws Exception {
        HttpResponse<String> res = get("/things/42", "traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-01");
        assertThat(res.statusCode()).isEqualTo(200);

        SpanData span = onlySpan();
        assertThat(span.getName()).isEqualTo("GET /things/{id}");
        assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(span.getTraceId()).as("the caller's trace").isEqualTo(TRACE_ID);
        assertThat(span.getParentSpanId()).as("the caller's span").isEqualTo(PARENT_ID);
        assertThat(span.getAttributes().get(AttributeKey.stringKey("http.route")))
                .isEqualTo("/things/{id}");
        assertThat(span.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
                .isEqualTo(200L);
        assertThat(span.getAttributes().asMap().values())
                .as("no raw path (it may hold ids or personal data)")
                .noneMatch(value -> String.valueOf(value).contains("/things/42"));
    }

    @Test
    void withoutATraceparentANewTraceStarts() throws Exception {
        assertThat(get("/things/7").statusCode()).isEqualTo(200);

        SpanData span = onlySpan();
        assertThat(span.getParentSpanContext().isValid()).as("a root span").isFalse();
        assertThat(span.getTraceId()).hasSize(32).isNotEqualTo("0".repeat(32));
    }

    @Test
    void whileServedTheSpanIsCurrentForLogLinesAndOutboundCalls() throws Exception {
        get("/things/1", "traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-01");
        SpanData span = onlySpan();

        assertThat(LOG_LINES)
                .singleElement()
                .asString()
                .contains("\"trace_id\":\"" + TRACE_ID + "\"")
                .contains("\"span_id\":\"" + span.getSpanId() + "\"")
                .contains("\"request_id\":");
        synchronized (OUTBOUND) {
            assertThat(OUTBOUND)
                    .as("an outbound call continues the trace, as a child of the server span")
                    .containsEntry("traceparent", "00-" + TRACE_ID + "-" + span.getSpanId() + "-01");
        }
    }

    @Test
    void healthIsNotTraced() throws Exception {
        assertThat(get("/health").statusCode()).isEqualTo(200);
        assertThat(get("/things/9").statusCode()).isEqualTo(200);
        assertThat(onlySpan().getName()).as("only the API request").isEqualTo("GET /things/{id}");
    }
}
