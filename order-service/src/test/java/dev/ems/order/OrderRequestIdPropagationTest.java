package dev.ems.order;

import static dev.ems.order.ResilienceSupport.createOrder;
import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The X-Request-ID of a create reaches user-service unchanged; without one, the id order-service generated does. */
class OrderRequestIdPropagationTest extends OrderServiceTestBase {
    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        startObserved(server, Map.of());
    }

    @BeforeEach
    void healthy() {
        users.reset();
    }

    @Test
    void theIncomingRequestIdReachesUserServiceUnchanged() {
        String requestId = "order-test:" + UUID.randomUUID() + ".1";
        ResilienceSupport.Reply reply = createOrder(client, UUID.randomUUID(), requestId);
        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.requestId()).hasValue(requestId);
        assertThat(users.requestIds()).containsExactly(requestId);
    }

    @Test
    void withoutOneTheGeneratedIdReachesUserService() {
        ResilienceSupport.Reply reply = createOrder(client, UUID.randomUUID(), null);
        assertThat(reply.status()).isEqualTo(201);
        String generated = reply.requestId().orElseThrow();
        assertThat(UUID.fromString(generated).toString()).isEqualTo(generated);
        assertThat(users.requestIds()).containsExactly(generated);
    }

    @Test
    void theRequestIdAlsoReachesUserServiceWhenItFails() {
        users.mode(UserServiceStandIn.Mode.ERROR_500);
        String requestId = "failing-" + UUID.randomUUID();
        ResilienceSupport.Reply reply = createOrder(client, UUID.randomUUID(), requestId);
        reply.assertUserServiceUnavailable();
        assertThat(reply.requestId()).hasValue(requestId);
        assertThat(users.requestIds()).containsExactly(requestId);
    }

    @Test
    void eachRequestSendsItsOwnId() {
        String first = "first-" + UUID.randomUUID();
        String second = "second-" + UUID.randomUUID();
        assertThat(createOrder(client, UUID.randomUUID(), first).status()).isEqualTo(201);
        assertThat(createOrder(client, UUID.randomUUID(), second).status()).isEqualTo(201);
        assertThat(users.requestIds()).containsExactly(first, second);
    }
}
