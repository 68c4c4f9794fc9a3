package dev.ems.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Black-box helpers for the resilience tests of order-service's user-service client: create orders over HTTP (timed),
 * and read the breaker and bulkhead through /metrics and /health.
 * <p>
 * The metrics registry is global to the test JVM while every test class builds its own {@link UserClient}: the
 * breaker-state gauge is bound to the breaker of whichever UserClient registered it first ({@code getOrCreate}), so a
 * class that asserts on the gauge starts with {@link OrderServiceTestBase#startObserved}, which calls
 * {@link #forgetBreakerGauge()} before {@code OrderTestSupport.setUp} (and after stopping), so that the gauge follows
 * its own breaker. Counters and histograms are shared too: compare deltas.
 */
final class ResilienceSupport {
    static final String BREAKER_GAUGE = "order_service_circuit_breaker_state";
    static final String BULKHEAD_REJECTIONS = "order_service_bulkhead_rejections_total";
    static final String DEPENDENCY_CALLS = "order_service_dependency_request_duration_seconds_count";
    static final String X_REQUEST_ID = "X-Request-ID";

    private ResilienceSupport() {}

    /** Settings for a test's order-service, from key/value pairs. */
    static Map<String, String> settings(String... keysAndValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return values;
    }

    /**
     * The breaker most resilience tests use, with {@code overrides} (key/value pairs) over it: it opens when half of
     * the last 4 calls failed (and not before 4 calls), stays open 10 s, and its failure window is not cleared within
     * a test (interval 60 s).
     */
    static Map<String, String> breaker(String... overrides) {
        Map<String, String> values = settings(
                "circuit.breaker.volume", "4",
                "circuit.breaker.error-ratio", "50",
                "circuit.breaker.timeout", "10s",
                "circuit.breaker.interval", "60s");
        values.putAll(settings(overrides));
        return values;
    }

    /** Drops the breaker-state gauge from the global registry, so that the next UserClient created registers its own. */
    static void forgetBreakerGauge() {
        MeterRegistry registry = Metrics.globalRegistry();
        List<Meter> gauges = List.copyOf(registry.meters(m -> m.id().name().equals(BREAKER_GAUGE)));
        gauges.forEach(registry::remove);
    }

    /** An answer of order-service, with how long it took. */
    record Reply(
            int status,
            String body,
            Optional<String> retryAfter,
            Optional<String> requestId,
            Optional<String> location,
            long millis) {
        JsonObject json() {
            return Json.createReader(new StringReader(body)).readObject();
        }

        String errorCode() {
            return json().getJsonObject("error").getString("code");
        }

        String errorMessage() {
            return json().getJsonObject("error").getString("message");
        }

        UUID orderId() {
            return UUID.fromString(json().getJsonObject("data").getString("id"));
        }

        /** 503 USER_SERVICE_UNAVAILABLE with a Retry-After of a positive number of seconds. */
        void assertUserServiceUnavailable() {
            assertThat(status).as("status of %s", body).isEqualTo(503);
            assertThat(errorCode()).isEqualTo("USER_SERVICE_UNAVAILABLE");
            assertThat(retryAfter)
                    .as("Retry-After")
                    .hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
        }
    }

    static Reply createOrder(Http1Client client, UUID userId) {
        return createOrder(client, userId, null);
    }

    static Reply createOrder(Http1Client client) {
        return createOrder(client, UUID.randomUUID(), null);
    }

    /** POST /api/v1/orders for {@code userId}, with {@code requestId} as X-Request-ID unless null. */
    static Reply createOrder(Http1Client client, UUID userId, String requestId) {
        return createOrder(client, userId, requestId, Map.of());
    }

    /** {@link #createOrder(Http1Client, UUID, String)} with more {@code headers}. */
    static Reply createOrder(Http1Client client, UUID userId, String requestId, Map<String, String> headers) {
        Http1ClientRequest request = client.post("/api/v1/orders").header(HeaderValues.CONTENT_TYPE_JSON);
        if (requestId != null) {
            request.header(HeaderNames.create(X_REQUEST_ID), requestId);
        }
        headers.forEach((name, value) -> request.header(HeaderNames.create(name), value));
        return send(request, orderBody(userId, "first"));
    }

    static String orderBody(UUID userId, String notes) {
        return OrderTestSupport.order(
                userId, List.of(OrderTestSupport.item("A-1", "a thing", 2, "1.25")), "notes", notes);
    }

    static Reply get(Http1Client client, String path) {
        return send(client.get(path), null);
    }

    static Reply put(Http1Client client, String path, String body) {
        return send(client.put(path).header(HeaderValues.CONTENT_TYPE_JSON), body);
    }

    static Reply patch(Http1Client client, String path, String body) {
        return send(client.method(Method.PATCH).uri(path).header(HeaderValues.CONTENT_TYPE_JSON), body);
    }

    static Reply delete(Http1Client client, String path) {
        return send(client.delete(path), null);
    }

    private static Reply send(Http1ClientRequest request, String body) {
        long start = System.nanoTime();
        ClientResponseTyped<String> res =
                body == null ? request.request(String.class) : request.submit(body, String.class);
        String entity = res.status().code() == 204 ? "" : res.entity();
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        return new Reply(
                res.status().code(),
                entity,
                res.headers().first(HeaderNames.RETRY_AFTER),
                res.headers().first(HeaderNames.create(X_REQUEST_ID)),
                res.headers().first(HeaderNames.LOCATION),
                millis);
    }

    /**
     * The value of a metric in /metrics (Prometheus text) whose labels include {@code labels} (name, value pairs);
     * 0 when no such series exists yet.
     */
    static double metric(Http1Client client, String name, String... labels) {
        String text = client.get("/metrics").header(HeaderValues.ACCEPT_TEXT).requestEntity(String.class);
        return text.lines()
                .filter(line -> line.startsWith(name + "{"))
                .filter(line -> {
                    for (int i = 0; i < labels.length; i += 2) {
                        if (!line.contains(labels[i] + "=\"" + labels[i + 1] + "\"")) {
                            return false;
                        }
                    }
                    return true;
                })
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** order_service_circuit_breaker_state{service="user-service"}: 0 closed, 1 open, 2 half-open. */
    static double breakerGauge(Http1Client client) {
        return metric(client, BREAKER_GAUGE, "service", "user-service");
    }

    static double bulkheadRejections(Http1Client client) {
        return metric(client, BULKHEAD_REJECTIONS, "service", "user-service");
    }

    /** How many calls to user-service ended with {@code outcome} (found, not_found, failure, rejected). */
    static double dependencyCalls(Http1Client client, String outcome) {
        return metric(client, DEPENDENCY_CALLS, "service", "user-service", "outcome", outcome);
    }

    /** The {@code user-service} check of /health (JSON with details). */
    static JsonObject userServiceCheck(Http1Client client) {
        String body = client.get("/health").requestEntity(String.class);
        JsonObject health = Json.createReader(new StringReader(body)).readObject();
        return health.getJsonArray("checks").stream()
                .map(v -> v.asJsonObject())
                .filter(check -> check.getString("name").equals("user-service"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no user-service check in /health: " + body));
    }

    /** What /health says of the breaker: closed, open or half_open. */
    static String breakerInHealth(Http1Client client) {
        JsonObject check = userServiceCheck(client);
        assertThat(check.getString("status"))
                .as("the user-service check is always UP")
                .isEqualTo("UP");
        return check.getJsonObject("data").getString("circuit_breaker");
    }

    /** Asserts, through the gauge and /health, the breaker's state. */
    static void assertBreaker(Http1Client client, String state) {
        double expected = switch (state) {
            case "closed" -> 0;
            case "open" -> 1;
            case "half_open" -> 2;
            default -> throw new IllegalArgumentException(state);
        };
        assertThat(breakerGauge(client)).as("breaker gauge").isEqualTo(expected);
        assertThat(breakerInHealth(client)).as("breaker in /health").isEqualTo(state);
    }

    /** GET /health/ready's status code. */
    static int readiness(Http1Client client) {
        return client.get("/health/ready").request(String.class).status().code();
    }
}
