package dev.ems.order;

import static dev.ems.order.ResilienceSupport.assertBreaker;
import static dev.ems.order.ResilienceSupport.breaker;
import static dev.ems.order.ResilienceSupport.createOrder;
import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code circuit.breaker.interval} clears the failure window while the breaker is closed. With a window of 4 calls
 * and ratio 50 %: F, pause, F, S, S opens the breaker when nothing clears the window (the control, in
 * {@link OrderBreakerRecoveryTest#withoutAWindowResetAnOldFailureStillCounts}); with an interval of 500 ms the pause
 * (1.2 s) contains at least one clearing, after which at most 3 calls are in the window (fewer if another clearing
 * falls between them), and Helidon's breaker never opens on a window that is not full: it stays closed. Deterministic
 * as long as the clearing task gets to run at least once in 1.2 s.
 */
class OrderBreakerIntervalTest extends OrderServiceTestBase {
    static final Duration PAUSE = Duration.ofMillis(1200);

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        startObserved(server, breaker("circuit.breaker.max.requests", "2", "circuit.breaker.interval", "500ms"));
    }

    @Test
    void theIntervalForgetsOldFailures() {
        users.mode(UserServiceStandIn.Mode.ERROR_500);
        createOrder(client).assertUserServiceUnavailable(); // F
        OrderBreakerRecoveryTest.pause(PAUSE); // the window is cleared meanwhile
        createOrder(client).assertUserServiceUnavailable(); // F
        users.mode(UserServiceStandIn.Mode.ACTIVE);
        assertThat(createOrder(client).status()).isEqualTo(201); // S
        assertThat(createOrder(client).status()).isEqualTo(201); // S: would open without the clearing
        assertBreaker(client, "closed");
        assertThat(createOrder(client).status()).isEqualTo(201);
        assertThat(users.calls()).isEqualTo(5);
        assertBreaker(client, "closed");
    }
}
