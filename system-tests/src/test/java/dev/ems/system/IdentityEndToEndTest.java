package dev.ems.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.testing.TestIssuer;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Identity across the three real services: a {@code user} orders for its own user record (order-service asks
 * user-service with its own service token who owns it), cancels it, and the audit trail records that user's
 * {@code sub} as the actor and {@code order-service}, the relay's verified identity, as the service; a header that
 * claims another actor changes nothing.
 */
class IdentityEndToEndTest {
    private static RunningSystem system;

    @BeforeAll
    static void startTheThreeServices() {
        system = RunningSystem.start();
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    @Test
    void aUsersOrderIsAuditedWithItsSubjectAsActorAndOrderServiceAsService() throws Exception {
        String users = system.users().url() + "/api/v1/users";
        String orders = system.orders().url() + "/api/v1/orders";
        String trail = system.audit().url() + "/api/v1/audit-logs";
        String alice = "alice-" + UUID.randomUUID();
        String admin = TestIssuer.bearer(TestIssuer.adminToken());
        String asAlice = TestIssuer.bearer(TestIssuer.token(alice, "user"));
        String auditor = TestIssuer.bearer(TestIssuer.token("auditor-1", "auditor"));

        String aliceUser = data(send(
                        "POST",
                        users,
                        admin,
                        "{\"email\":\"" + alice + "@example.com\",\"first_name\":\"Alice\",\"last_name\":\"A\","
                                + "\"subject\":\"" + alice + "\"}",
                        201))
                .getString("id");
        String otherUser = data(send(
                        "POST",
                        users,
                        admin,
                        "{\"email\":\"other-" + alice + "@example.com\",\"first_name\":\"O\",\"last_name\":\"O\"}",
                        201))
                .getString("id");

        // alice orders for her own record, claiming to be someone else in a header that no longer means anything
        HttpResponse<String> created = EndToEndCalls.expect(
                201, "POST", orders, order(aliceUser), "Authorization", asAlice, "X-Actor-ID", "admin-7");
        String orderId = data(created).getString("id");
        send("PATCH", orders + "/" + orderId + "/status", asAlice, "{\"status\":\"cancelled\"}", 200);
        // and not for another's record, which does not exist for her
        HttpResponse<String> refused = send("POST", orders, asAlice, order(otherUser), 422);
        assertThat(Json.createReader(new StringReader(refused.body()))
                        .readObject()
                        .getJsonObject("error")
                        .getString("code"))
                .isEqualTo("USER_NOT_FOUND");

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(entries(trail + "?entity_id=" + orderId, auditor))
                        .hasSize(2));
        for (JsonObject entry :
                entries(trail + "?entity_id=" + orderId, auditor).getValuesAs(JsonObject.class)) {
            assertThat(entry.getString("actor")).isEqualTo(alice);
            assertThat(entry.getString("service")).isEqualTo("order-service");
        }
        JsonArray userEntries = entries(trail + "?entity_id=" + aliceUser, auditor);
        assertThat(userEntries).hasSize(1);
        assertThat(userEntries.getJsonObject(0).getString("actor")).isEqualTo(TestIssuer.ADMIN);
        assertThat(userEntries.getJsonObject(0).getString("service")).isEqualTo("user-service");

        JsonObject verify = data(send("GET", trail + "/verify", auditor, null, 200));
        assertThat(verify.getBoolean("intact")).isTrue();
    }

    private static String order(String userId) {
        return "{\"user_id\":\"" + userId + "\",\"items\":[{\"sku\":\"A\",\"name\":\"a\",\"quantity\":1,"
                + "\"unit_price\":2.50}]}";
    }

    private static HttpResponse<String> send(String method, String url, String authorization, String body, int expected)
            throws Exception {
        return EndToEndCalls.expect(expected, method, url, body, "Authorization", authorization);
    }

    private static JsonArray entries(String url, String authorization) throws Exception {
        return Json.createReader(new StringReader(
                        send("GET", url, authorization, null, 200).body()))
                .readObject()
                .getJsonArray("data");
    }

    private static JsonObject data(HttpResponse<String> res) {
        return Json.createReader(new StringReader(res.body())).readObject().getJsonObject("data");
    }
}
