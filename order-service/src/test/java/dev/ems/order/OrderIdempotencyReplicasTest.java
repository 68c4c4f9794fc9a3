package dev.ems.order;

import static dev.ems.order.OrderTestSupport.item;
import static dev.ems.order.OrderTestSupport.order;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.ApiCalls;
import dev.ems.testing.HttpResult;
import dev.ems.testing.TestIssuer;
import dev.ems.testing.TestPostgres;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Idempotency-Key across replicas: two order-services on one database, 20 concurrent retries of one request with one
 * key spread over both, make exactly one order, and every retry gets its answer (README, "Idempotency-Key").
 */
class OrderIdempotencyReplicasTest {
    private static final int RETRIES = 20;

    @Test
    void concurrentRetriesOverTwoReplicasCreateExactlyOneOrder() throws Exception {
        String database = TestPostgres.createDatabase();
        try (UserServiceStandIn users = UserServiceStandIn.start();
                Replica first = Replica.start(database, users.url());
                Replica second = Replica.start(database, users.url())) {
            UUID user = UUID.randomUUID();
            String key = "replicas-" + UUID.randomUUID();
            String body = order(user, List.of(item("R", 1, "9.99")));
            String bearer = TestIssuer.bearer(TestIssuer.adminToken());
            CountDownLatch ready = new CountDownLatch(RETRIES);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResult>> futures = new ArrayList<>();
            List<HttpResult> responses = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < RETRIES; i++) {
                    Replica replica = i % 2 == 0 ? first : second;
                    futures.add(pool.submit(() -> {
                        // a client, so a connection, of its own
                        Http1Client client = ApiCalls.client(replica.server().port(), bearer);
                        try {
                            ready.countDown();
                            assertThat(go.await(10, TimeUnit.SECONDS)).isTrue();
                            return new OrderTestSupport.Api(client).post(body, "Idempotency-Key", key);
                        } finally {
                            client.closeResource();
                        }
                    }));
                }
                assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
                go.countDown();
                for (Future<HttpResult> f : futures) {
                    responses.add(f.get(30, TimeUnit.SECONDS));
                }
            }

            assertThat(responses)
                    .allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(201));
            assertThat(responses.stream().filter(r -> !r.hasHeader("Idempotent-Replayed")))
                    .as("exactly one request created the order")
                    .hasSize(1);
            assertThat(responses.stream().filter(r -> "true".equals(r.header("Idempotent-Replayed"))))
                    .as("the others are replays")
                    .hasSize(RETRIES - 1);
            String id = responses.getFirst().data().getString("id");
            assertThat(responses)
                    .allSatisfy(r ->
                            assertThat(r.body()).isEqualTo(responses.getFirst().body()));
            assertThat(TestPostgres.column(database, "SELECT CAST(id AS text) FROM orders"))
                    .containsExactly(id);
        }
    }

    /** One replica: order-service on the shared database, asking {@code userServiceUrl} for users. */
    private record Replica(OrderTestSupport.Running running, WebServer server) implements AutoCloseable {
        static Replica start(String database, String userServiceUrl) {
            WebServerConfig.Builder builder = WebServer.builder().port(0).host("localhost");
            OrderTestSupport.Running running = OrderTestSupport.setUp(builder, userServiceUrl, database, Map.of());
            return new Replica(running, builder.build().start());
        }

        @Override
        public void close() {
            server.stop();
            running.close();
        }
    }
}
