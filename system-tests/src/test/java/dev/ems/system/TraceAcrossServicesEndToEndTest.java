package dev.ems.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.MemorySpans;
import dev.ems.testing.TestIssuer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One trace from the client's request to the audit entry: an order created with a traceparent is order-service's
 * server span in the caller's trace, with its user client's span and user-service's server span under it, and the
 * audit event it wrote is delivered later by the relay inside the same trace (a delivery span, child of the change's
 * span, stored with the outbox row), where audit-log-service's batch append joins too. The three services export to
 * memory here, as the production wiring does to Zipkin or OTLP.
 */
class TraceAcrossServicesEndToEndTest {
    private static final String TRACE_ID = "7d1c6a1e2f0b4a5c9e8d7f6a5b4c3d2e";
    private static final String CALLER_SPAN = "1a2b3c4d5e6f7081";
    private static final String ADMIN = TestIssuer.bearer(TestIssuer.adminToken());
    private static RunningSystem system;

    @BeforeAll
    static void start() {
        system = RunningSystem.start(MemorySpans.SETTINGS);
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    private static Optional<SpanData> span(List<SpanData> spans, SpanKind kind, String name) {
        return spans.stream()
                .filter(span -> span.getTraceId().equals(TRACE_ID))
                .filter(span -> span.getKind() == kind && span.getName().equals(name))
                .findFirst();
    }

    @Test
    void anOrderIsOneTraceFromTheRequestThroughUserServiceToItsAuditDelivery() throws Exception {
        String userId = EndToEndCalls.data(EndToEndCalls.expect(
                        201,
                        "POST",
                        system.users().url() + "/api/v1/users",
                        "{\"email\":\"trace-" + UUID.randomUUID() + "@example.com\",\"first_name\":\"T\","
                                + "\"last_name\":\"R\"}",
                        "Authorization",
                        ADMIN))
                .asJsonObject()
                .getString("id");
        MemorySpans.reset();

        EndToEndCalls.expect(
                201,
                "POST",
                system.orders().url() + "/api/v1/orders",
                "{\"user_id\":\"" + userId + "\",\"items\":[{\"sku\":\"A\",\"name\":\"a\",\"quantity\":1,"
                        + "\"unit_price\":1.25}]}",
                "Authorization",
                ADMIN,
                "traceparent",
                "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01");

        // order-service's span ends when its filters finish, a moment after the client has its 201
        List<SpanData> spans = MemorySpans.awaitSpans(all ->
                span(all, SpanKind.SERVER, "POST /api/v1/audit-logs/batch").isPresent()
                        && span(all, SpanKind.SERVER, "POST /api/v1/orders").isPresent());
        SpanData order = span(spans, SpanKind.SERVER, "POST /api/v1/orders").orElseThrow();
        assertThat(order.getParentSpanId()).as("the caller's span").isEqualTo(CALLER_SPAN);
        SpanData client = span(spans, SpanKind.CLIENT, "GET /api/v1/users/{id}").orElseThrow();
        assertThat(client.getParentSpanId()).isEqualTo(order.getSpanId());
        SpanData user = span(spans, SpanKind.SERVER, "GET /api/v1/users/{id}").orElseThrow();
        assertThat(user.getParentSpanId())
                .as("user-service under the client span")
                .isEqualTo(client.getSpanId());
        assertThat(spans)
                .as("order-service's SQL under its server span")
                .anyMatch(span -> span.getKind() == SpanKind.CLIENT
                        && span.getParentSpanId().equals(order.getSpanId())
                        && span.getName().startsWith("insert-order"));
        SpanData delivery = span(spans, SpanKind.PRODUCER, "audit delivery").orElseThrow();
        assertThat(delivery.getParentSpanId())
                .as("the delivery in the change's trace, under the request that wrote the event")
                .isEqualTo(order.getSpanId());
        SpanData append =
                span(spans, SpanKind.SERVER, "POST /api/v1/audit-logs/batch").orElseThrow();
        assertThat(append.getParentSpanId()).isEqualTo(delivery.getSpanId());

        // and from the trace to its audit entry: the order's entry records the trace, and is found by it
        JsonArray entries = EndToEndCalls.data(EndToEndCalls.expect(
                        200,
                        "GET",
                        system.audit().url() + "/api/v1/audit-logs?trace_id=" + TRACE_ID,
                        null,
                        "Authorization",
                        ADMIN))
                .asJsonArray();
        assertThat(entries).singleElement().satisfies(entry -> {
            assertThat(entry.asJsonObject().getString("entity_type")).isEqualTo("order");
            assertThat(entry.asJsonObject().getString("trace_id")).isEqualTo(TRACE_ID);
        });
        JsonObject verify = EndToEndCalls.data(EndToEndCalls.expect(
                        200, "GET", system.audit().url() + "/api/v1/audit-logs/verify", null, "Authorization", ADMIN))
                .asJsonObject();
        assertThat(verify.getBoolean("intact"))
                .as("entries with and without trace ids in one chain")
                .isTrue();
    }
}
