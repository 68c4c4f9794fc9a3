package dev.ems.order;

import static dev.ems.order.OrderTestSupport.ORDERS;
import static dev.ems.order.OrderTestSupport.item;
import static dev.ems.order.OrderTestSupport.order;
import static dev.ems.testing.Envelopes.assertError;
import static dev.ems.testing.Envelopes.assertInvalidParameter;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.ApiCalls;
import dev.ems.testing.HttpResult;
import dev.ems.testing.RawHttp;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Idempotency-Key on POST /api/v1/orders: replay, reuse, racing retries, expiry, key syntax. */
class OrderIdempotencyTest extends OrderServiceTestBase {
    private static final String KEY = "Idempotency-Key";

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server);
    }

    @BeforeEach
    void reset() {
        users.reset();
    }

    @Test
    void sameKeyAndBodyReplaysTheOriginalResponse() {
        UUID user = UUID.randomUUID();
        String key = "order-" + UUID.randomUUID();
        String body = order(user, List.of(item("A", 2, "3.33")), "notes", "first");
        HttpResult first = api.post(body, KEY, key);
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(first.hasHeader("Idempotent-Replayed")).isFalse();
        assertThat(users.calls()).isEqualTo(1);

        HttpResult again = api.post(body, KEY, key);
        assertThat(again.status()).as(again.toString()).isEqualTo(201);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.header("Location")).isEqualTo(first.header("Location"));
        assertThat(again.header("ETag")).isEqualTo(first.header("ETag"));
        assertThat(users.calls()).as("a replay does not ask user-service again").isEqualTo(1);
        assertThat(api.get(ORDERS + "?user_id=" + user).ids())
                .containsExactly(first.data().getString("id"));

        // the same JSON written differently is the same request
        String reordered = """
                { "notes" : "first", "items" : [ {"unit_price":3.330, "quantity":2, "name":"Item A", \
                "sku":"A"} ], "user_id" : "%s" }""".formatted(user);
        HttpResult third = api.post(reordered, KEY, key);
        assertThat(third.status()).as(third.toString()).isEqualTo(201);
        assertThat(third.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(third.data().getString("id")).isEqualTo(first.data().getString("id"));

        // still the original response after the order moved on
        api.move(first.data().getString("id"), "confirmed");
        HttpResult later = api.post(body, KEY, key);
        assertThat(later.body()).isEqualTo(first.body());
        assertThat(api.get(ORDERS + "?user_id=" + user).ids()).hasSize(1);
        assertThat(users.calls()).isEqualTo(1);
    }

    @Test
    void sameKeyWithADifferentBodyIs422() {
        UUID user = UUID.randomUUID();
        String key = "reuse-" + UUID.randomUUID();
        String id = api.create(order(user), KEY, key).getString("id");
        users.resetCounts();
        HttpResult other =
                assertError(api.post(order(user, "notes", "different"), KEY, key), 422, "IDEMPOTENCY_KEY_REUSED");
        assertThat(other.hasHeader("Idempotent-Replayed")).isFalse();
        assertError(api.post(order(UUID.randomUUID()), KEY, key), 422, "IDEMPOTENCY_KEY_REUSED");
        assertError(api.post(order(user, List.of(item("SKU-1", 3, "10.00"))), KEY, key), 422, "IDEMPOTENCY_KEY_REUSED");
        assertThat(users.calls()).isZero();
        assertThat(api.get(ORDERS + "?user_id=" + user).ids()).containsExactly(id);
        // the original request is still replayed
        assertThat(api.post(order(user), KEY, key).header("Idempotent-Replayed"))
                .isEqualTo("true");
        // keys are case-sensitive: another key is another request
        HttpResult otherKey = api.post(order(user), KEY, key.toUpperCase(Locale.ROOT));
        assertThat(otherKey.status()).isEqualTo(201);
        assertThat(otherKey.hasHeader("Idempotent-Replayed")).isFalse();
        assertThat(api.get(ORDERS + "?user_id=" + user).ids()).hasSize(2);
    }

    @Test
    void withoutAKeyEveryPostCreates() {
        UUID user = UUID.randomUUID();
        api.create(order(user));
        api.create(order(user));
        assertThat(api.get(ORDERS + "?user_id=" + user).ids()).hasSize(2);
        assertThat(users.calls()).isEqualTo(2);
    }

    @Test
    void concurrentRetriesWithOneKeyCreateExactlyOneOrder() throws Exception {
        UUID user = UUID.randomUUID();
        String key = "race-" + UUID.randomUUID();
        String body = order(user, List.of(item("R", 1, "9.99")));
        int n = 10;
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResult>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                OrderTestSupport.Api own = api(bearer); // a client, so a connection, of its own
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    assertThat(go.await(10, TimeUnit.SECONDS)).isTrue();
                    return own.post(body, KEY, key);
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<HttpResult> responses = new ArrayList<>();
            for (Future<HttpResult> f : futures) {
                responses.add(f.get(30, TimeUnit.SECONDS));
            }
            assertThat(responses)
                    .allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(201));
            List<String> ids = responses.stream()
                    .map(r -> r.data().getString("id"))
                    .distinct()
                    .toList();
            assertThat(ids).hasSize(1);
            assertThat(api.get(ORDERS + "?user_id=" + user).ids()).isEqualTo(ids);
            assertThat(responses.stream()
                            .filter(r -> !r.hasHeader("Idempotent-Replayed"))
                            .count())
                    .as("exactly one request created the order")
                    .isEqualTo(1);
            assertThat(responses)
                    .allSatisfy(r ->
                            assertThat(r.body()).isEqualTo(responses.getFirst().body()));
        }
    }

    @Test
    void aFailedRequestDoesNotUseUpTheKey() {
        UUID user = UUID.randomUUID();
        String key = "fail-" + UUID.randomUUID();
        users.mode(UserServiceStandIn.Mode.NOT_FOUND);
        assertError(api.post(order(user), KEY, key), 422, "USER_NOT_FOUND");
        users.mode(UserServiceStandIn.Mode.ERROR_500);
        assertError(api.post(order(user), KEY, key), 503, "USER_SERVICE_UNAVAILABLE");
        users.mode(UserServiceStandIn.Mode.ACTIVE);
        // an invalid body with the key, then a valid one
        HttpResult invalid = api.post(order(user, List.of(item("A", 0, "1.00"))), KEY, key);
        assertError(invalid, 400, "VALIDATION_ERROR");
        HttpResult ok = api.post(order(user), KEY, key);
        assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
        assertThat(ok.hasHeader("Idempotent-Replayed")).isFalse();
        assertThat(api.get(ORDERS + "?user_id=" + user).ids())
                .containsExactly(ok.data().getString("id"));
    }

    @Test
    void invalidKeysAre400() {
        UUID user = UUID.randomUUID();
        for (String bad : new String[] {"", "   ", "k".repeat(256), "with space", "tab\there"}) {
            HttpResult res = assertInvalidParameter(api.post(order(user), KEY, bad), KEY);
            assertThat(res.detailMessage(KEY)).contains("255");
        }
        // a control character is refused by the HTTP parser already (400 BAD_REQUEST envelope)
        assertError(api.post(order(user), KEY, "del\u007f"), 400, "BAD_REQUEST");
        // non-ASCII keys go over a raw socket: the Helidon client would turn them into '?' before sending
        byte[] body = order(user).getBytes(StandardCharsets.UTF_8);
        for (byte[] nonAscii : new byte[][] {
            {(byte) 0xFC} /* ü in ISO-8859-1 */,
            {(byte) 0xC3, (byte) 0xBC} /* ü in UTF-8 */,
            {(byte) 0x80},
            {(byte) 0xE2, (byte) 0x82, (byte) 0xAC} /* € */
        }) {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.writeBytes(("POST " + ORDERS + " HTTP/1.1\r\nHost: localhost\r\n" + authorization()
                            + "Content-Type: application/json\r\n" + "Idempotency-Key: schl")
                    .getBytes(StandardCharsets.US_ASCII));
            head.writeBytes(nonAscii);
            head.writeBytes(("ssel\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            HttpResult res = RawHttp.exchange(port, head.toString(StandardCharsets.ISO_8859_1), body);
            assertInvalidParameter(res, KEY);
        }
        assertThat(users.calls())
                .as("an invalid key is refused before user-service is asked")
                .isZero();
        assertThat(api.get(ORDERS + "?user_id=" + user).dataArray()).isEmpty();
        // 255 visible ASCII characters are fine, punctuation included
        String longest = "K".repeat(250) + "-_.:~";
        assertThat(api.post(order(user), KEY, longest).status()).isEqualTo(201);
        assertThat(api.post(order(user), KEY, longest).header("Idempotent-Replayed"))
                .isEqualTo("true");
        assertThat(api.get(ORDERS + "?user_id=" + user).dataArray()).hasSize(1);
    }

    @Test
    void keysExpireAfterTheirTtl() throws InterruptedException {
        WebServerConfig.Builder builder = WebServer.builder().port(0).host("localhost");
        OrderTestSupport.Running shortLived =
                OrderTestSupport.setUp(builder, users.url(), Map.of("order.service.idempotency.ttl", "1s"));
        WebServer server = builder.build().start();
        Http1Client otherClient = ApiCalls.client(server.port(), bearer);
        try {
            OrderTestSupport.Api other = new OrderTestSupport.Api(otherClient);
            UUID user = UUID.randomUUID();
            String key = "ttl-" + UUID.randomUUID();
            String body = order(user);
            HttpResult first = other.post(body, KEY, key);
            assertThat(first.status()).isEqualTo(201);
            HttpResult replay = other.post(body, KEY, key);
            assertThat(replay.header("Idempotent-Replayed"))
                    .as("within the ttl")
                    .isEqualTo("true");
            Thread.sleep(Duration.ofMillis(1500));
            HttpResult fresh = other.post(body, KEY, key);
            assertThat(fresh.status()).as(fresh.toString()).isEqualTo(201);
            assertThat(fresh.hasHeader("Idempotent-Replayed"))
                    .as("after the ttl")
                    .isFalse();
            assertThat(fresh.data().getString("id")).isNotEqualTo(first.data().getString("id"));
            // a different body is no longer a reuse either, once expired
            Thread.sleep(Duration.ofMillis(1500));
            HttpResult different = other.post(order(user, "notes", "x"), KEY, key);
            assertThat(different.status()).as(different.toString()).isEqualTo(201);
            JsonObject list = other.get(ORDERS + "?user_id=" + user).json();
            assertThat(list.getJsonArray("data")).hasSize(3);
            assertThat(shortLived.orders().purgeExpiredKeys()).isGreaterThanOrEqualTo(0);
        } finally {
            otherClient.closeResource();
            server.stop();
            shortLived.close();
        }
    }
}
