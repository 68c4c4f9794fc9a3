package dev.ems.core.filter;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.ems.core.http.ErrorHandlers;

import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Beyond the limit, API requests are answered at once with 503 + Retry-After; health never is limited. */
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
        routing.addFilter(new ConcurrencyLimitFilter(1));
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
        assertThat(refused.headers().first(io.helidon.http.HeaderNames.RETRY_AFTER)).contains("1");
        // operational endpoints are never limited
        assertThat(client.get("/health/live").request(String.class).status()).isEqualTo(Status.OK_200);

        RELEASE.countDown();
        assertThat(slow.get(10, TimeUnit.SECONDS).status()).isEqualTo(Status.OK_200);
        // the permit came back
        assertThat(client.get("/api/slow").request(String.class).status()).isEqualTo(Status.OK_200);
    }
}
