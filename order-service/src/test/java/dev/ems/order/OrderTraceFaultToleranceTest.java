package dev.ems.order;

import static dev.ems.order.ResilienceSupport.breaker;
import static dev.ems.order.ResilienceSupport.createOrder;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.MemorySpans;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fault tolerance's verdicts on the user client's span: a call that times out, one user-service fails, and one the
 * open breaker refuses each end the span as an error with its event ({@code timeout}, {@code failed}, {@code circuit
 * breaker open}) and outcome, so that a trace says why an order got 503.
 */
class OrderTraceFaultToleranceTest extends OrderServiceTestBase {
    private static final String CLIENT_SPAN = "GET /api/v1/users/{id}";

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Map<String, String> settings = new HashMap<>(MemorySpans.SETTINGS);
        settings.putAll(breaker(
                "circuit.breaker.volume", "2",
                "order.service.user.service.timeout", "300ms",
                "order.service.user.service.read-timeout", "5s"));
        startObserved(server, settings);
    }

    @BeforeEach
    void clear() {
        users.reset();
        MemorySpans.reset();
    }

    /** The client span of the next order created, after it ended. */
    private SpanData clientSpanOfAnOrder() {
        createOrder(client).assertUserServiceUnavailable();
        List<SpanData> spans = MemorySpans.awaitSpans(all -> all.stream()
                .anyMatch(span ->
                        span.getKind() == SpanKind.CLIENT && span.getName().equals(CLIENT_SPAN)));
        MemorySpans.reset();
        return spans.stream()
                .filter(span ->
                        span.getKind() == SpanKind.CLIENT && span.getName().equals(CLIENT_SPAN))
                .findFirst()
                .orElseThrow();
    }

    private static void assertVerdict(SpanData span, String event, String outcome) {
        assertThat(span.getEvents())
                .as(span.getAttributes().toString())
                .extracting(EventData::getName)
                .containsExactly(event);
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getAttributes().get(AttributeKey.stringKey("ems.outcome")))
                .isEqualTo(outcome);
    }

    @Test
    void aTimeoutAFailureAndTheOpenBreakerAreOnTheClientSpan() {
        users.mode(UserServiceStandIn.Mode.SLOW);
        users.slowMillis(1000);
        assertVerdict(clientSpanOfAnOrder(), "timeout", "failure");

        users.mode(UserServiceStandIn.Mode.ERROR_500);
        assertVerdict(clientSpanOfAnOrder(), "failed", "failure");

        // two failures in a window of two: the breaker is open, and the next call never leaves
        int calls = users.calls();
        assertVerdict(clientSpanOfAnOrder(), "circuit breaker open", "rejected");
        assertThat(users.calls()).as("refused by the breaker, not sent").isEqualTo(calls);
    }
}
