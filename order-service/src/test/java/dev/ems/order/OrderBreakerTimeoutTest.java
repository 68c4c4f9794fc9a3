package dev.ems.order;

import static dev.ems.order.ResilienceSupport.assertBreaker;
import static dev.ems.order.ResilienceSupport.breaker;
import static dev.ems.order.ResilienceSupport.createOrder;
import static dev.ems.order.ResilienceSupport.dependencyCalls;
import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;

/**
 * A user-service slower than the FT timeout (500 ms; the client's own read timeout is longer, 2 s, so the FT Timeout
 * is what fires) gives 503 in about the timeout, not after the 1.5 s answer; timeouts count as failures and open the
 * breaker, after which creates fail at once.
 */
class OrderBreakerTimeoutTest extends OrderServiceTestBase {
    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        startObserved(
                server,
                breaker(
                        "order.service.user.service.timeout", "500ms",
                        "order.service.user.service.read-timeout", "2s"));
    }

    @Test
    void slowAnswersTimeOutAndOpenTheBreaker() {
        users.mode(UserServiceStandIn.Mode.SLOW);
        users.slowMillis(1500);
        double failuresBefore = dependencyCalls(client, "failure");

        for (int i = 0; i < 4; i++) {
            assertBreaker(client, "closed");
            ResilienceSupport.Reply reply = createOrder(client);
            reply.assertUserServiceUnavailable();
            assertThat(reply.errorMessage()).isEqualTo("user-service did not answer");
            assertThat(reply.millis())
                    .as("call %d took about the 500 ms timeout", i)
                    .isBetween(450L, 1200L);
        }
        assertThat(users.calls()).isEqualTo(4);
        assertThat(dependencyCalls(client, "failure") - failuresBefore).isEqualTo(4);
        assertBreaker(client, "open");

        ResilienceSupport.Reply rejected = createOrder(client);
        rejected.assertUserServiceUnavailable();
        assertThat(rejected.errorMessage()).contains("circuit breaker");
        assertThat(rejected.millis()).isLessThan(200);
        assertThat(users.calls()).as("nothing more reached user-service").isEqualTo(4);
    }
}
