package dev.ems.order;

import static dev.ems.order.ResilienceSupport.assertBreaker;
import static dev.ems.order.ResilienceSupport.breaker;
import static dev.ems.order.ResilienceSupport.breakerGauge;
import static dev.ems.order.ResilienceSupport.createOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Open -> half-open after {@code circuit.breaker.timeout} (1 s), half-open -> closed after {@code max.requests} (2)
 * successful trial calls, and half-open -> open again when a trial call fails. The interval is long (60 s), so the
 * failure window is never cleared here: the first test is the control for {@link OrderBreakerIntervalTest} (the
 * same sequence of calls and pause opens the breaker when the window is not cleared). Tests run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrderBreakerRecoveryTest extends OrderServiceTestBase {
    private static long openedAt;

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        startObserved(server, breaker("circuit.breaker.timeout", "1s", "circuit.breaker.max.requests", "2"));
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void withoutAWindowResetAnOldFailureStillCounts() {
        users.mode(UserServiceStandIn.Mode.ERROR_500);
        createOrder(client).assertUserServiceUnavailable(); // F
        pause(OrderBreakerIntervalTest.PAUSE);
        createOrder(client).assertUserServiceUnavailable(); // F
        users.mode(UserServiceStandIn.Mode.ACTIVE);
        assertThat(createOrder(client).status()).isEqualTo(201); // S
        assertBreaker(client, "closed");
        assertThat(createOrder(client).status()).isEqualTo(201); // S: 2 of 4 failed -> open
        openedAt = System.nanoTime();
        assertThat(breakerGauge(client)).isEqualTo(1);
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void halfOpensAfterTheDelayAndClosesAfterMaxRequestsSuccessfulTrials() {
        users.mode(UserServiceStandIn.Mode.ACTIVE);
        users.resetCounts();

        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> breakerGauge(client) == 2);
        assertThat(Duration.ofNanos(System.nanoTime() - openedAt))
                .as("time open")
                .isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertBreaker(client, "half_open");
        assertThat(users.calls()).as("no call reached user-service while open").isZero();

        assertThat(createOrder(client).status()).as("first trial call").isEqualTo(201);
        assertThat(users.calls()).isEqualTo(1);
        assertBreaker(client, "half_open"); // one of two trial calls

        assertThat(createOrder(client).status()).as("second trial call").isEqualTo(201);
        assertThat(users.calls()).isEqualTo(2);
        assertBreaker(client, "closed");

        assertThat(createOrder(client).status()).isEqualTo(201);
        assertThat(users.calls()).isEqualTo(3);
        assertBreaker(client, "closed");
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void aFailedTrialCallReopensItEvenAfterASuccessfulOne() {
        users.mode(UserServiceStandIn.Mode.ERROR_500);
        for (int i = 0; i < 4 && breakerGauge(client) != 1; i++) {
            createOrder(client).assertUserServiceUnavailable();
        }
        assertThat(breakerGauge(client)).as("open after at most 4 failures").isEqualTo(1);

        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> breakerGauge(client) == 2);
        users.resetCounts();
        users.mode(UserServiceStandIn.Mode.ACTIVE);
        assertThat(createOrder(client).status()).as("first trial call").isEqualTo(201);
        assertBreaker(client, "half_open");

        users.mode(UserServiceStandIn.Mode.ERROR_500);
        ResilienceSupport.Reply failed = createOrder(client); // second trial call fails
        failed.assertUserServiceUnavailable();
        assertThat(failed.errorMessage()).isEqualTo("user-service did not answer");
        assertThat(users.calls()).isEqualTo(2);
        assertBreaker(client, "open");

        users.mode(UserServiceStandIn.Mode.ACTIVE);
        ResilienceSupport.Reply rejected = createOrder(client);
        rejected.assertUserServiceUnavailable();
        assertThat(rejected.errorMessage()).contains("circuit breaker");
        assertThat(users.calls()).as("re-opened: nothing reaches user-service").isEqualTo(2);
    }

    static void pause(Duration pause) {
        long start = System.nanoTime();
        await().pollDelay(pause).atMost(pause.plusSeconds(5)).until(() -> System.nanoTime() - start >= pause.toNanos());
    }
}
