package dev.ems.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.MemorySpans;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A traced request to user-service, as the production wiring exports it: the server span continues the caller's
 * trace under the route template, and each SQL statement it runs is a child span named by the statement, with no
 * parameter value anywhere (they hold personal data).
 */
class UserTracingTest extends UserServiceTestBase {
    private static final String TRACE_ID = "5b8aa5a2d2c872e8321cf37308d69df2";
    private static final String CALLER_SPAN = "051581bf3cb55c13";

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server, MemorySpans.SETTINGS);
    }

    @Test
    void aReadIsOneServerSpanWithTheSqlSpanOfItsStatement() {
        String email = "traced-" + UUID.randomUUID() + "@example.com";
        JsonObject created = api.create(email, "Traced", "Person");
        MemorySpans.reset();

        assertThat(api.getUser(created.getString("id"), "traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01")
                        .status())
                .isEqualTo(200);

        List<SpanData> spans = MemorySpans.awaitSpans(all -> all.stream()
                .anyMatch(span ->
                        span.getKind() == SpanKind.SERVER && span.getTraceId().equals(TRACE_ID)));
        SpanData server = spans.stream()
                .filter(span -> span.getKind() == SpanKind.SERVER)
                .filter(span -> span.getTraceId().equals(TRACE_ID))
                .findFirst()
                .orElseThrow();
        assertThat(server.getName()).isEqualTo("GET /api/v1/users/{id}");
        assertThat(server.getParentSpanId()).isEqualTo(CALLER_SPAN);
        List<SpanData> sql = spans.stream()
                .filter(span -> span.getParentSpanId().equals(server.getSpanId()))
                .toList();
        assertThat(sql).extracting(SpanData::getName).contains("get-user");
        assertThat(sql).allSatisfy(span -> assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT));
        assertThat(spans)
                .flatExtracting(span -> span.getAttributes().asMap().values())
                .as("no id, email or name of the user in any attribute")
                .noneMatch(value -> String.valueOf(value).contains(created.getString("id"))
                        || String.valueOf(value).contains(email)
                        || String.valueOf(value).contains("Traced"));
    }
}
