package dev.ems.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.localissuer.LocalIssuer;
import dev.ems.testing.TestIssuer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The issuer's token endpoint down while the three services run (its keys still published, so callers' tokens still
 * verify): the services' own calls, which need a token of their own, fail as dependency failures and nothing is lost.
 * order-service cannot ask user-service (503 USER_SERVICE_UNAVAILABLE, never a 500); user-service keeps its audit
 * events in its outbox (a backlog, in the metrics and /health). Once the endpoint is back, orders are created again and
 * every event reaches the audit trail, recorded with the caller as actor and the delivering service as service. The
 * services trust an issuer of this class's own, whose token endpoint is down from the start (no service holds a
 * token yet).
 */
class TokenEndpointOutageEndToEndTest {
    private static LocalIssuer issuer;
    private static String admin;
    private static RunningService audit;
    private static RunningService users;
    private static RunningService orders;

    @BeforeAll
    static void start() {
        issuer = TestIssuer.start();
        issuer.tokenEndpointUp(false);
        admin = TestIssuer.bearer(TestIssuer.adminToken(issuer));
        audit = RunningService.audit(TestIssuer.settings(issuer, "audit-log-service"));
        users = RunningService.user(trustingItsIssuer("user-service", audit.url()));
        orders = RunningService.order(users, trustingItsIssuer("order-service", audit.url()));
    }

    @AfterAll
    static void stop() {
        try {
            orders.close();
            users.close();
            audit.close();
        } finally {
            issuer.close();
            RunningService.forgetOutboxGauges();
        }
    }

    @Test
    void serviceCallsFailAsDependencyFailuresAndTheAuditEventsWaitInTheOutbox() throws Exception {
        String userBase = users.url();
        String orderBase = orders.url();
        String auditBase = audit.url() + "/api/v1/audit-logs";

        // the callers' own tokens still verify: user-service serves them
        HttpResponse<String> created = send(
                "POST",
                userBase + "/api/v1/users",
                "outage-create-user",
                "{\"email\":\"outage@example.com\",\"first_name\":\"Ada\",\"last_name\":\"Lovelace\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String userId = json(created).getJsonObject("data").getString("id");

        // order-service cannot get the token it needs to ask user-service: a dependency failure
        String order = "{\"user_id\":\"" + userId + "\",\"items\":[{\"sku\":\"A\",\"name\":\"a\",\"quantity\":1,"
                + "\"unit_price\":1.25}]}";
        HttpResponse<String> refused = send("POST", orderBase + "/api/v1/orders", "outage-refused-order", order);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(json(refused).getJsonObject("error").getString("code")).isEqualTo("USER_SERVICE_UNAVAILABLE");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();

        // user-service's relay cannot get its token either: the event waits in the outbox, retried, not dropped
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() ->
                        assertThat(outbox(userBase).getString("last_error", "")).startsWith("token endpoint"));
        Thread.sleep(1_000); // several attempts of the relay (100 ms apart, backing off to 500 ms)
        assertThat(outbox(userBase).getInt("pending")).isEqualTo(1);
        assertThat(outbox(userBase).getInt("dead")).isZero();
        assertThat(data(get(auditBase)).asJsonArray()).as("the audit trail").isEmpty();

        issuer.tokenEndpointUp(true);

        HttpResponse<String> accepted = send("POST", orderBase + "/api/v1/orders", "outage-create-order", order);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
        String orderId = json(accepted).getJsonObject("data").getString("id");
        // the trail itself is what to wait for: an outbox's pending count is the relay's last look, which may
        // predate the order's event
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> assertThat(data(get(auditBase)).asJsonArray()).hasSize(2));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(outbox(userBase).getInt("pending")).isZero();
            assertThat(outbox(orderBase).getInt("pending")).isZero();
        });
        assertEvent(auditBase, "outage-create-user", "user-service", userId);
        assertEvent(auditBase, "outage-create-order", "order-service", orderId);
        assertThat(outbox(userBase).containsKey("last_error")).as("recovered").isFalse();
    }

    private static void assertEvent(String auditBase, String requestId, String service, String entityId)
            throws Exception {
        JsonArray found = data(get(auditBase + "?request_id=" + requestId)).asJsonArray();
        assertThat(found).as("events of request " + requestId).hasSize(1);
        JsonObject event = found.getJsonObject(0);
        assertThat(event.getString("service")).isEqualTo(service);
        assertThat(event.getString("action")).isEqualTo("create");
        assertThat(event.getString("entity_id")).isEqualTo(entityId);
        assertThat(event.getString("actor")).isEqualTo(TestIssuer.ADMIN);
    }

    /** {@code service} relaying to {@code auditUrl} and trusting this class's issuer (its client secret there). */
    private static Map<String, String> trustingItsIssuer(String service, String auditUrl) {
        Map<String, String> settings = RunningService.relayingTo(service, auditUrl);
        settings.putAll(TestIssuer.settings(issuer, service));
        // the refused token fetches are expected here
        settings.put(service.replace('-', '.') + ".log.level", "error");
        return settings;
    }

    /** The audit-outbox check's details in {@code base}'s /health. */
    private static JsonObject outbox(String base) throws Exception {
        return json(get(base + "/health")).getJsonArray("checks").stream()
                .map(check -> check.asJsonObject())
                .filter(check -> check.getString("name").equals("audit-outbox"))
                .findFirst()
                .orElseThrow()
                .getJsonObject("data");
    }

    private static HttpResponse<String> send(String method, String url, String requestId, String body)
            throws Exception {
        return EndToEndCalls.call(method, url, body, "Authorization", admin, "X-Request-ID", requestId);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return EndToEndCalls.call("GET", url, null, "Authorization", admin);
    }

    private static JsonObject json(HttpResponse<String> res) {
        return EndToEndCalls.json(res);
    }

    private static jakarta.json.JsonValue data(HttpResponse<String> res) {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return EndToEndCalls.data(res);
    }
}
