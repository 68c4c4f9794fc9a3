package dev.ems.order;

import static dev.ems.order.ResilienceSupport.assertBreaker;
import static dev.ems.order.ResilienceSupport.breaker;
import static dev.ems.order.ResilienceSupport.breakerGauge;
import static dev.ems.order.ResilienceSupport.createOrder;
import static dev.ems.order.ResilienceSupport.dependencyCalls;
import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A 404 from user-service is an answer (422 USER_NOT_FOUND), never a failure: however many, the breaker stays closed. */
class OrderBreakerNotFoundTest extends OrderServiceTestBase {
    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        startObserved(server, breaker());
    }

    @Test
    void thirtyNotFoundsInARowNeverOpenTheBreaker() {
        users.mode(UserServiceStandIn.Mode.NOT_FOUND);
        double notFoundBefore = dependencyCalls(client, "not_found");

        for (int i = 0; i < 30; i++) {
            UUID userId = UUID.randomUUID();
            ResilienceSupport.Reply reply = createOrder(client, userId);
            assertThat(reply.status()).as("call %d: %s", i, reply.body()).isEqualTo(422);
            assertThat(reply.errorCode()).isEqualTo("USER_NOT_FOUND");
            assertThat(reply.retryAfter()).isEmpty();
            if (i % 5 == 4) {
                assertThat(breakerGauge(client))
                        .as("gauge after %d not-founds", i + 1)
                        .isZero();
            }
        }

        assertThat(users.calls()).as("every one was asked to user-service").isEqualTo(30);
        assertThat(dependencyCalls(client, "not_found") - notFoundBefore).isEqualTo(30);
        assertBreaker(client, "closed");
        assertThat(ResilienceSupport.get(client, "/api/v1/orders").json().getJsonArray("data"))
                .as("nothing was created")
                .isEmpty();

        // the breaker is alive: the 404s sit in its window as successes, so 2 failures now make 50 % of 4
        users.mode(UserServiceStandIn.Mode.ERROR_500);
        createOrder(client).assertUserServiceUnavailable();
        assertBreaker(client, "closed");
        createOrder(client).assertUserServiceUnavailable();
        assertBreaker(client, "open");
    }
}
