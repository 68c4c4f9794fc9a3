package dev.ems.order;

import static dev.ems.order.ResilienceSupport.createOrder;
import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A lookup reusing a pooled connection just as Helidon's monitor of that idle connection gives up on it (Helidon 4.1.7:
 * after the read timeout of idleness, in 101 ms steps; helidon-io/helidon#10861) fails with "Exception in socket
 * monitor thread." although user-service is fine. bench/scale saw it fail an order. The lookup is a GET, so it is
 * tried once more on a new connection.
 * <p>
 * With a read timeout of 500 ms the monitor gives up 505 ms after the connection went idle; a call reusing it from
 * 404 ms on, whose answer takes longer than that (200 ms here), meets the failure. The orders below reuse the
 * connection after idle times around that window, so that timing jitter cannot make all of them miss it.
 */
class OrderStaleConnectionTest extends OrderServiceTestBase {
    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        startObserved(
                server,
                Map.of(
                        "order.service.user.service.read-timeout", "500ms",
                        "order.service.user.service.timeout", "3s",
                        "circuit.breaker.volume", "100"));
    }

    @Test
    void aLookupOnAConnectionItsIdleMonitorGaveUpOnIsTriedOnceMore() throws InterruptedException {
        users.mode(UserServiceStandIn.Mode.SLOW);
        users.slowMillis(200);
        assertThat(createOrder(client).status()).isEqualTo(201);
        List<Integer> answers = new ArrayList<>();
        int orders = 1;
        for (int idleMillis = 380; idleMillis <= 500; idleMillis += 15) {
            Thread.sleep(idleMillis);
            answers.add(createOrder(client).status());
            orders++;
        }
        assertThat(answers).as("every order placed").containsOnly(201);
        assertThat(users.calls())
                .as("lookups that met a connection its monitor had given up on were tried again")
                .isGreaterThan(orders);
    }
}
