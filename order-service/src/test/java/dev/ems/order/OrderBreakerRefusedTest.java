package dev.ems.order;

import static dev.ems.order.ResilienceSupport.assertBreaker;
import static dev.ems.order.ResilienceSupport.breaker;
import static dev.ems.order.ResilienceSupport.createOrder;
import static dev.ems.order.ResilienceSupport.dependencyCalls;
import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;

/** A user-service that is down (connections refused) gives 503, and refusals count as failures: they open the breaker. */
class OrderBreakerRefusedTest extends OrderServiceTestBase {
    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        startObserved(server, breaker());
    }

    @Test
    void refusedConnectionsGive503AndOpenTheBreaker() {
        assertThat(createOrder(client).status()).as("while user-service is up").isEqualTo(201);
        users.stop();
        double failuresBefore = dependencyCalls(client, "failure");

        for (int i = 0; i < 3; i++) { // S F F F
            ResilienceSupport.Reply reply = createOrder(client);
            reply.assertUserServiceUnavailable();
            assertThat(reply.errorMessage()).isEqualTo("user-service did not answer");
            assertThat(reply.millis()).as("a refusal is quick").isLessThan(1000);
            assertThat(ResilienceSupport.readiness(client)).isEqualTo(200);
        }
        assertThat(dependencyCalls(client, "failure") - failuresBefore).isEqualTo(3);
        assertBreaker(client, "open");

        ResilienceSupport.Reply rejected = createOrder(client);
        rejected.assertUserServiceUnavailable();
        assertThat(rejected.errorMessage()).contains("circuit breaker");
        assertThat(rejected.millis()).isLessThan(200);
        assertThat(ResilienceSupport.readiness(client)).isEqualTo(200);
        assertThat(users.calls()).isEqualTo(1);
    }
}
