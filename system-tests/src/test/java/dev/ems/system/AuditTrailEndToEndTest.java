package dev.ems.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.testing.Pseudonyms;
import dev.ems.testing.TestIssuer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every change in the system reaches the audit trail, once, even when audit-log-service is away while the changes
 * happen: user-service and order-service keep serving, their outboxes fill up, and when the audit service comes
 * (back) the relays deliver everything, each event exactly once, into an intact hash chain. The services trust the
 * tests' issuer: the changes are an admin's (the actor of every event), and the relays and the user check use the
 * services' own tokens from that issuer.
 */
class AuditTrailEndToEndTest {
    private static final String ADMIN = TestIssuer.bearer(TestIssuer.adminToken());
    private static int auditPort;
    private static RunningService users;
    private static RunningService orders;

    @BeforeAll
    static void startUserAndOrderServicesWithoutTheAuditService() throws IOException {
        auditPort = freePort();
        String auditUrl = "http://localhost:" + auditPort;
        users = RunningService.user(RunningService.relayingTo("user-service", auditUrl));
        orders = RunningService.order(users, RunningService.relayingTo("order-service", auditUrl));
    }

    @AfterAll
    static void stop() {
        orders.close();
        users.close();
        RunningService.forgetOutboxGauges();
    }

    @Test
    void changesMadeWhileTheAuditServiceIsDownArriveOnceWhenItComesBack() throws Exception {
        String userBase = users.url();
        String orderBase = orders.url();

        // the audit service is down: every change still succeeds
        JsonObject user = data(send(
                        "POST",
                        userBase + "/api/v1/users",
                        "e2e-create-user",
                        "{\"email\":\"trail@example.com\",\"first_name\":\"Ada\",\"last_name\":\"Lovelace\"}",
                        201))
                .asJsonObject();
        String userId = user.getString("id");
        send("PATCH", userBase + "/api/v1/users/" + userId, "e2e-update-user", "{\"last_name\":\"King\"}", 200);
        JsonObject order = data(send(
                        "POST",
                        orderBase + "/api/v1/orders",
                        "e2e-create-order",
                        "{\"user_id\":\"" + userId + "\",\"items\":[{\"sku\":\"A\",\"name\":\"a\",\"quantity\":2,"
                                + "\"unit_price\":1.25}]}",
                        201))
                .asJsonObject();
        String orderId = order.getString("id");
        send(
                "PATCH",
                orderBase + "/api/v1/orders/" + orderId + "/status",
                "e2e-confirm-order",
                "{\"status\":\"confirmed\"}",
                200);
        send("DELETE", orderBase + "/api/v1/orders/" + orderId, "e2e-delete-order", null, 204);

        // the backlog is visible to operators
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(metric(userBase, "user_service_audit_outbox_pending")).isEqualTo(2);
            assertThat(metric(orderBase, "order_service_audit_outbox_pending")).isEqualTo(3);
        });
        assertThat(get(userBase + "/health").body()).contains("\"audit-outbox\"", "\"pending\":2");
        assertThat(get(userBase + "/health/ready").statusCode()).isEqualTo(200);

        // the audit service arrives on the address the relays keep trying
        RunningService audit = RunningService.audit(Map.of("audit.log.service.port", String.valueOf(auditPort)));
        String auditBase = audit.url() + "/api/v1/audit-logs";
        try {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(metric(userBase, "user_service_audit_outbox_pending"))
                        .isZero();
                assertThat(metric(orderBase, "order_service_audit_outbox_pending"))
                        .isZero();
            });

            JsonArray all = data(get(auditBase + "?limit=100")).asJsonArray();
            assertThat(all).hasSize(5);
            assertEvent(auditBase, "e2e-create-user", "user-service", "create", "user", userId);
            JsonObject update = assertEvent(auditBase, "e2e-update-user", "user-service", "update", "user", userId);
            // a name is personal data: the trail holds its pseudonym (AuditPersonalDataEndToEndTest)
            assertThat(update.getJsonObject("details").getJsonObject("before").getString("last_name"))
                    .isEqualTo(Pseudonyms.of("Lovelace"));
            assertThat(update.getJsonObject("details").getJsonObject("after").getString("last_name"))
                    .isEqualTo(Pseudonyms.of("King"));
            assertThat(update.getJsonObject("details").getJsonObject("after").keySet())
                    .containsExactly("last_name");
            assertEvent(auditBase, "e2e-create-order", "order-service", "create", "order", orderId);
            JsonObject status =
                    assertEvent(auditBase, "e2e-confirm-order", "order-service", "status_change", "order", orderId);
            assertThat(status.getJsonObject("details").getJsonObject("after").getString("status"))
                    .isEqualTo("confirmed");
            assertEvent(auditBase, "e2e-delete-order", "order-service", "delete", "order", orderId);

            JsonObject verify = data(get(auditBase + "/verify")).asJsonObject();
            assertThat(verify.getBoolean("intact")).isTrue();
            assertThat(verify.getJsonNumber("checked").longValue()).isEqualTo(5);
        } finally {
            audit.close();
        }
    }

    private static JsonObject assertEvent(
            String auditBase, String requestId, String service, String action, String entityType, String entityId)
            throws Exception {
        JsonArray found = data(get(auditBase + "?request_id=" + requestId)).asJsonArray();
        assertThat(found).as("events of request " + requestId).hasSize(1);
        JsonObject event = found.getJsonObject(0);
        assertThat(event.getString("service")).isEqualTo(service);
        assertThat(event.getString("action")).isEqualTo(action);
        assertThat(event.getString("entity_type")).isEqualTo(entityType);
        assertThat(event.getString("entity_id")).isEqualTo(entityId);
        assertThat(event.getString("actor")).as("the caller's token subject").isEqualTo(TestIssuer.ADMIN);
        assertThat(event.getString("client_address")).isNotBlank();
        return event;
    }

    private static HttpResponse<String> send(String method, String url, String requestId, String body, int expected)
            throws Exception {
        return EndToEndCalls.expect(expected, method, url, body, "Authorization", ADMIN, "X-Request-ID", requestId);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return EndToEndCalls.call("GET", url, null, "Authorization", ADMIN);
    }

    private static JsonValue data(HttpResponse<String> res) {
        return EndToEndCalls.data(res);
    }

    private static long metric(String base, String name) throws Exception {
        return get(base + "/metrics")
                .body()
                .lines()
                .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .map(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElse(-1L);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
