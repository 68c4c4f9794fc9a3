package dev.ems.order;

import static dev.ems.order.ResilienceSupport.assertBreaker;
import static dev.ems.order.ResilienceSupport.breaker;
import static dev.ems.order.ResilienceSupport.createOrder;
import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;

/**
 * What counts against the breaker besides 500: 429 and 503 from user-service do (503 USER_SERVICE_UNAVAILABLE for the
 * client); an inactive or suspended user is an answer (422 USER_NOT_ACTIVE) and fills the window as a success.
 */
class OrderBreakerStatusTest extends OrderServiceTestBase {
    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        startObserved(server, breaker());
    }

    @Test
    void tooManyRequestsAndServiceUnavailableCountInactiveUsersDoNot() {
        users.mode(UserServiceStandIn.Mode.INACTIVE);
        ResilienceSupport.Reply inactive = createOrder(client);
        assertThat(inactive.status()).isEqualTo(422);
        assertThat(inactive.errorCode()).isEqualTo("USER_NOT_ACTIVE");

        users.status(429);
        createOrder(client).assertUserServiceUnavailable();

        users.mode(UserServiceStandIn.Mode.SUSPENDED);
        ResilienceSupport.Reply suspended = createOrder(client);
        assertThat(suspended.status()).isEqualTo(422);
        assertThat(suspended.errorCode()).isEqualTo("USER_NOT_ACTIVE");
        assertBreaker(client, "closed");

        users.status(503); // 2 failures of the last 4 -> open
        createOrder(client).assertUserServiceUnavailable();
        assertThat(users.calls()).isEqualTo(4);
        assertBreaker(client, "open");

        users.mode(UserServiceStandIn.Mode.ACTIVE);
        assertThat(createOrder(client).errorMessage()).contains("circuit breaker");
        assertThat(users.calls()).isEqualTo(4);
    }
}
