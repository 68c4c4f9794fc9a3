package dev.ems.user;

import static dev.ems.testing.Envelopes.UUID_PATTERN;
import static dev.ems.testing.Envelopes.assertError;
import static dev.ems.testing.JsonBodies.body;
import static dev.ems.user.UserTestSupport.USERS;
import static dev.ems.user.UserTestSupport.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.testing.HttpResult;
import io.helidon.http.Method;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Cross-cutting behaviour: X-Request-ID, CORS (default origin) and the request metrics. */
class UserObservabilityTest extends UserServiceTestBase {
    private static final String ORIGIN = "http://localhost:3000";

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server);
    }

    // ---------------------------------------------------------------- X-Request-ID

    @Test
    void saneRequestIdIsEchoedOnSuccessAndOnErrors() {
        String id = "req-123_abc.DEF:42";
        assertThat(api.get(USERS, "X-Request-ID", id).header("X-Request-ID")).isEqualTo(id);
        HttpResult created =
                api.post(body("email", email("rid"), "first_name", "R", "last_name", "Id"), "X-Request-ID", id);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("X-Request-ID")).isEqualTo(id);

        assertThat(assertError(api.getUser(UUID.randomUUID().toString(), "X-Request-ID", id), 404, "NOT_FOUND")
                        .header("X-Request-ID"))
                .isEqualTo(id);
        assertThat(assertError(api.post("{}", "X-Request-ID", id), 400, "VALIDATION_ERROR")
                        .header("X-Request-ID"))
                .isEqualTo(id);
        assertThat(assertError(api.post("{", "X-Request-ID", id), 400, "INVALID_JSON")
                        .header("X-Request-ID"))
                .isEqualTo(id);
        assertThat(assertError(api.call(Method.DELETE, USERS, null, "X-Request-ID", id), 405, "METHOD_NOT_ALLOWED")
                        .header("X-Request-ID"))
                .isEqualTo(id);
        assertThat(assertError(api.get("/api/v1/nowhere", "X-Request-ID", id), 404, "NOT_FOUND")
                        .header("X-Request-ID"))
                .isEqualTo(id);
        assertThat(assertError(api.getUser("bad-id", "X-Request-ID", id), 400, "INVALID_PARAMETER")
                        .header("X-Request-ID"))
                .isEqualTo(id);

        String longest = "a".repeat(128);
        assertThat(api.get(USERS, "X-Request-ID", longest).header("X-Request-ID"))
                .isEqualTo(longest);
    }

    @Test
    void insaneRequestIdIsReplacedByAUuid() {
        for (String insane : new String[] {
            "a".repeat(300),
            "a".repeat(129),
            "<script>alert(1)</script>",
            "has space",
            "semi;colon",
            "quote\"d",
            "ünïcode",
            "a/b",
            "{json}"
        }) {
            String echoed = api.get(USERS, "X-Request-ID", insane).header("X-Request-ID");
            assertThat(echoed).as(insane).isNotEqualTo(insane).matches(UUID_PATTERN);
            String onError = api.getUser(UUID.randomUUID().toString(), "X-Request-ID", insane)
                    .header("X-Request-ID");
            assertThat(onError).as(insane).isNotEqualTo(insane).matches(UUID_PATTERN);
        }
    }

    @Test
    void absentRequestIdGetsAFreshUuid() {
        String first = api.get(USERS).header("X-Request-ID");
        String second = api.get(USERS).header("X-Request-ID");
        assertThat(first).matches(UUID_PATTERN);
        assertThat(second).matches(UUID_PATTERN).isNotEqualTo(first);
        assertThat(assertError(api.getUser("nope"), 400, "INVALID_PARAMETER").header("X-Request-ID"))
                .matches(UUID_PATTERN);
    }

    // ---------------------------------------------------------------- CORS

    @Test
    void preflightFromTheAllowedOriginIsAnswered() {
        HttpResult res = api.call(
                Method.OPTIONS,
                USERS,
                null,
                "Origin",
                ORIGIN,
                "Access-Control-Request-Method",
                "POST",
                "Access-Control-Request-Headers",
                "Content-Type, X-Request-ID");
        assertThat(res.status()).as(res.toString()).isBetween(200, 204);
        assertThat(res.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
        assertThat(list(res.header("Access-Control-Allow-Methods"))).contains("POST");
        assertThat(list(res.header("Access-Control-Allow-Headers")).stream().map(String::toLowerCase))
                .contains("content-type", "x-request-id");

        String id = api.create(email("cors"), "Co", "Rs").getString("id");
        HttpResult item = api.call(
                Method.OPTIONS,
                USERS + "/" + id,
                null,
                "Origin",
                ORIGIN,
                "Access-Control-Request-Method",
                "PATCH",
                "Access-Control-Request-Headers",
                "If-Match, Content-Type");
        assertThat(item.status()).as(item.toString()).isBetween(200, 204);
        assertThat(item.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
        assertThat(list(item.header("Access-Control-Allow-Methods"))).contains("PATCH");
    }

    @Test
    void preflightAnswersCarryTheRequestId() {
        HttpResult res = api.call(
                Method.OPTIONS,
                USERS,
                null,
                "Origin",
                ORIGIN,
                "Access-Control-Request-Method",
                "GET",
                "X-Request-ID",
                "preflight-1");
        assertThat(res.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
        assertThat(res.header("X-Request-ID")).isEqualTo("preflight-1");
    }

    @Test
    void preflightFromAnotherOriginIsNotAllowed() {
        HttpResult res = api.call(
                Method.OPTIONS, USERS, null, "Origin", "http://evil.example", "Access-Control-Request-Method", "POST");
        assertThat(res.hasHeader("Access-Control-Allow-Origin"))
                .as(res.toString())
                .isFalse();
        assertThat(res.status()).as(res.toString()).isGreaterThanOrEqualTo(400);
    }

    @Test
    void actualResponsesToTheAllowedOriginCarryCorsHeadersEvenOnErrors() {
        HttpResult ok = api.get(USERS, "Origin", ORIGIN);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);

        HttpResult notFound =
                assertError(api.getUser(UUID.randomUUID().toString(), "Origin", ORIGIN), 404, "NOT_FOUND");
        assertThat(notFound.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
        HttpResult invalid = assertError(api.post("{}", "Origin", ORIGIN), 400, "VALIDATION_ERROR");
        assertThat(invalid.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
        HttpResult badParam = assertError(api.get(USERS + "?page=0", "Origin", ORIGIN), 400, "INVALID_PARAMETER");
        assertThat(badParam.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
        HttpResult method =
                assertError(api.call(Method.DELETE, USERS, null, "Origin", ORIGIN), 405, "METHOD_NOT_ALLOWED");
        assertThat(method.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);

        HttpResult other = api.get(USERS, "Origin", "http://evil.example");
        assertThat(other.hasHeader("Access-Control-Allow-Origin"))
                .as(other.toString())
                .isFalse();
    }

    // ---------------------------------------------------------------- metrics

    @Test
    void requestMetricsUseRouteTemplatesAndCountErrors() {
        String id = api.create(email("metrics"), "Met", "Rics").getString("id");
        assertThat(api.getUser(id).status()).isEqualTo(200);
        assertThat(api.getUser(UUID.randomUUID().toString()).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/metrics-probe-unknown/" + id).status()).isEqualTo(404);
        assertThat(api.get("/health").status()).isEqualTo(204);
        assertThat(api.get("/health/ready").status()).isEqualTo(204);
        assertThat(api.get("/metrics").status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            String metrics = metrics();
            assertThat(line(
                            metrics,
                            "user_service_requests_total{",
                            "method=\"GET\"",
                            "path=\"/api/v1/users/{id}\"",
                            "status=\"200\""))
                    .isNotNull();
            assertThat(line(
                            metrics,
                            "user_service_requests_total{",
                            "method=\"GET\"",
                            "path=\"/api/v1/users/{id}\"",
                            "status=\"404\""))
                    .isNotNull();
            assertThat(line(
                            metrics,
                            "user_service_requests_total{",
                            "method=\"POST\"",
                            "path=\"/api/v1/users\"",
                            "status=\"201\""))
                    .isNotNull();
            assertThat(line(
                            metrics,
                            "user_service_request_duration_seconds_bucket{",
                            "method=\"GET\"",
                            "path=\"/api/v1/users/{id}\"",
                            "le="))
                    .isNotNull();
            assertThat(line(metrics, "user_service_errors_total{", "type=\"NOT_FOUND\""))
                    .isNotNull();
            assertThat(line(metrics, "user_service_requests_total{", "path=\"unmatched\"", "status=\"404\""))
                    .isNotNull();
        });

        String metrics = metrics();
        assertThat(metrics).as("no raw ids in labels").doesNotContain(id);
        assertThat(metrics).doesNotContain("metrics-probe-unknown");
        for (String l : metrics.lines()
                .filter(l -> l.startsWith("user_service_requests_total{"))
                .toList()) {
            assertThat(l).doesNotContain("path=\"/health").doesNotContain("path=\"/metrics");
        }
    }

    @Test
    void requestCounterCountsEachRequestOnce() {
        // no GET before the baseline: a request is counted a moment after its response, so one just answered
        // could still land after the baseline is read
        String id = api.create(email("count"), "Cou", "Nt").getString("id");
        String[] labels = {"method=\"GET\"", "path=\"/api/v1/users/{id}\"", "status=\"200\""};
        double before = value(metrics(), "user_service_requests_total{", labels);
        for (int i = 0; i < 3; i++) {
            assertThat(api.getUser(id).status()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(value(metrics(), "user_service_requests_total{", labels))
                        .isEqualTo(before + 3));
    }

    private String metrics() {
        HttpResult res = api.get("/metrics", "Accept", "text/plain");
        assertThat(res.status()).isEqualTo(200);
        return res.body();
    }

    /** The first sample line of {@code metric} that carries every label, or null. */
    private static String line(String metrics, String metric, String... labels) {
        return metrics.lines()
                .filter(l -> l.startsWith(metric))
                .filter(l -> Arrays.stream(labels).allMatch(l::contains))
                .findFirst()
                .orElse(null);
    }

    private static double value(String metrics, String metric, String... labels) {
        String l = line(metrics, metric, labels);
        return l == null ? 0 : Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
    }

    private static List<String> list(String header) {
        assertThat(header).isNotNull();
        return Arrays.stream(header.split(",")).map(String::trim).toList();
    }
}
