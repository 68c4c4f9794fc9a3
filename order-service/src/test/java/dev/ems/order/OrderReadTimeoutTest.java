package dev.ems.order;

import static dev.ems.order.ResilienceSupport.createOrder;
import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The WebClient's read timeout ({@code order.service.user.service.read-timeout}, 400 ms) cuts a slow answer short
 * even when the FT timeout is longer (3 s): 503 in about 400 ms.
 */
class OrderReadTimeoutTest extends OrderServiceTestBase {
    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        startObserved(
                server,
                Map.of(
                        "order.service.user.service.timeout", "3s",
                        "order.service.user.service.read-timeout", "400ms"));
    }

    @Test
    void theReadTimeoutCutsASlowAnswerShort() {
        users.mode(UserServiceStandIn.Mode.SLOW);
        users.slowMillis(1500);
        ResilienceSupport.Reply reply = createOrder(client);
        reply.assertUserServiceUnavailable();
        assertThat(reply.millis()).as("took about the 400 ms read timeout").isBetween(350L, 1100L);
        assertThat(users.calls()).isEqualTo(1);
    }
}
