package dev.ems.core.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.core.http.ErrorHandlers;
import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Beyond the limit, API requests are answered at once with 503 + Retry-After; health has a budget of its own. */
@ServerTest
class ConcurrencyLimitFilterTest {
    private static final CountDownLatch RELEASE = new CountDownLatch(1);
    private static final CountDownLatch STARTED = new CountDownLatch(1);
    private final Http1Client client;

    ConcurrencyLimitFilterTest(Http1Client client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        routing.addFilter(new ConcurrencyLimitFilter(
                new ConcurrencyLimitFilter.Budget(1, 2), new ConcurrencyLimitFilter.Budget(1, 1)));
        ErrorHandlers.register(routing);
        routing.get("/api/slow", (req, res) -> {
                    STARTED.countDown();
                    RELEASE.await(10, TimeUnit.SECONDS);
                    res.send("done");
                })
                .get("/health/live", (req, res) -> res.send("UP"));
    }

    @Test
    void theRequestBeyondTheLimitIsRefusedFastAndTheNextOneServed() throws Exception {
        CompletableFuture<ClientResponseTyped<String>> slow =
                CompletableFuture.supplyAsync(() -> client.get("/api/slow").request(String.class));
        assertThat(STARTED.await(5, TimeUnit.SECONDS)).isTrue();

        long start = System.nanoTime();
        ClientResponseTyped<String> refused = client.get("/api/slow").request(String.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(refused.status()).isEqualTo(Status.SERVICE_UNAVAILABLE_503);
        assertThat(refused.entity()).contains("\"code\":\"SERVICE_UNAVAILABLE\"");
        assertThat(refused.headers().first(io.helidon.http.HeaderNames.RETRY_AFTER))
                .contains("1");
        // operational endpoints are limited apart
        assertThat(client.get("/health/live").request(String.class).status()).isEqualTo(Status.OK_200);

        RELEASE.countDown();
        assertThat(slow.get(10, TimeUnit.SECONDS).status()).isEqualTo(Status.OK_200);
        // the permit comes back when the handler returns, a moment after its response reached the client
        await().atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(
                                client.get("/api/slow").request(String.class).status())
                        .isEqualTo(Status.OK_200));
    }

    @Test
    void oneClientHoldsAtMostItsShareAndForgetsItWhenDone() {
        ConcurrencyLimitFilter.Budget budget = new ConcurrencyLimitFilter.Budget(10, 2);
        assertThat(budget.enter("10.0.0.1")).isTrue();
        assertThat(budget.enter("10.0.0.1")).isTrue();
        assertThat(budget.enter("10.0.0.1")).as("beyond its share").isFalse();
        assertThat(budget.enter("10.0.0.2")).as("another client").isTrue();
        budget.leave("10.0.0.1");
        assertThat(budget.enter("10.0.0.1")).as("a slot of its own came back").isTrue();
        budget.leave("10.0.0.1");
        budget.leave("10.0.0.1");
        budget.leave("10.0.0.2");
        assertThat(budget.clients())
                .as("no entry without a request in progress")
                .isZero();
    }
}
