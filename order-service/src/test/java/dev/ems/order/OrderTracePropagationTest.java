package dev.ems.order;

import static dev.ems.order.ResilienceSupport.createOrder;
import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The W3C trace context goes on to user-service: an incoming traceparent's trace reaches it, as the child of a span of
 * order-service's own (the user client's), and a request without one starts a trace that user-service continues.
 */
class OrderTracePropagationTest extends OrderServiceTestBase {
    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String CALLER_SPAN = "b7ad6b7169203331";

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        startObserved(server, Map.of("otel.traces.sampler", "always_on"));
    }

    @BeforeEach
    void healthy() {
        users.reset();
    }

    @Test
    void theCallersTraceReachesUserServiceThroughASpanOfOrderServicesOwn() {
        ResilienceSupport.Reply reply = createOrder(
                client, UUID.randomUUID(), null, Map.of("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01"));
        assertThat(reply.status()).isEqualTo(201);
        assertThat(users.traceparents()).singleElement().asString().matches("00-" + TRACE_ID + "-[0-9a-f]{16}-01");
        assertThat(users.traceparents().getFirst())
                .as("the parent user-service sees is order-service's client span, not the caller's")
                .doesNotContain(CALLER_SPAN);
    }

    @Test
    void withoutATraceparentANewTraceReachesUserService() {
        assertThat(createOrder(client, UUID.randomUUID(), null).status()).isEqualTo(201);
        assertThat(users.traceparents()).singleElement().asString().matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[13]");
    }
}
