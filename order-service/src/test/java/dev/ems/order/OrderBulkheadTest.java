package dev.ems.order;

import static dev.ems.order.ResilienceSupport.assertBreaker;
import static dev.ems.order.ResilienceSupport.breaker;
import static dev.ems.order.ResilienceSupport.createOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * With a bulkhead of 1 call and no queue, concurrent creates against a slow user-service: one gets through (201),
 * the others are turned away at once with 503 USER_SERVICE_UNAVAILABLE; rejections are counted, and do not count
 * against the breaker.
 */
class OrderBulkheadTest extends OrderServiceTestBase {
    private static final int CONCURRENT = 6;

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        startObserved(
                server,
                breaker(
                        "order.service.user.service.bulkhead.limit", "1",
                        "order.service.user.service.bulkhead.queue", "0",
                        "order.service.user.service.timeout", "5s",
                        "order.service.user.service.read-timeout", "5s"));
    }

    @Test
    void aFullBulkheadTurnsCallsAwayAtOnce() throws Exception {
        users.mode(UserServiceStandIn.Mode.SLOW);
        users.slowMillis(1500);
        double rejectionsBefore = ResilienceSupport.bulkheadRejections(client);
        double rejectedBefore = ResilienceSupport.dependencyCalls(client, "rejected");
        long rejectedInHealthBefore = inHealth("bulkhead_rejected");

        CountDownLatch go = new CountDownLatch(1);
        List<Future<ResilienceSupport.Reply>> replies = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < CONCURRENT; i++) {
                replies.add(threads.submit(() -> {
                    go.await();
                    return createOrder(client);
                }));
            }
            go.countDown();
            await().atMost(Duration.ofSeconds(1))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> inHealth("bulkhead_in_flight") == 1);
            assertThat(inHealth("bulkhead_queued")).as("no queue").isZero();
        }

        List<ResilienceSupport.Reply> created = new ArrayList<>();
        List<ResilienceSupport.Reply> turnedAway = new ArrayList<>();
        for (Future<ResilienceSupport.Reply> future : replies) {
            ResilienceSupport.Reply reply = future.get();
            (reply.status() == 201 ? created : turnedAway).add(reply);
        }
        assertThat(created).as("got through").isNotEmpty();
        assertThat(turnedAway).as("turned away").isNotEmpty().hasSize(CONCURRENT - created.size());
        assertThat(created).allSatisfy(r -> assertThat(r.millis()).isGreaterThanOrEqualTo(1400));
        assertThat(turnedAway).allSatisfy(r -> {
            r.assertUserServiceUnavailable();
            assertThat(r.errorMessage()).contains("saturated");
            assertThat(r.millis()).as("turned away at once").isLessThan(500);
        });
        assertThat(users.calls()).as("only admitted calls reached user-service").isEqualTo(created.size());

        assertThat(ResilienceSupport.bulkheadRejections(client) - rejectionsBefore)
                .isEqualTo(turnedAway.size());
        assertThat(ResilienceSupport.dependencyCalls(client, "rejected") - rejectedBefore)
                .isEqualTo(turnedAway.size());
        assertThat(inHealth("bulkhead_rejected") - rejectedInHealthBefore).isEqualTo(turnedAway.size());
        assertThat(inHealth("bulkhead_in_flight")).isZero();
        assertBreaker(client, "closed");
    }

    private long inHealth(String detail) {
        return ResilienceSupport.userServiceCheck(client)
                .getJsonObject("data")
                .getJsonNumber(detail)
                .longValue();
    }
}
