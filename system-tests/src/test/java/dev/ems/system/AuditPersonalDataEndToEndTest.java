package dev.ems.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.testing.Pseudonyms;
import dev.ems.testing.TestIssuer;
import dev.ems.testing.TestPostgres;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No personal data in clear anywhere in the trail: a user created, changed and deleted and an order created and
 * changed, with distinctive personal values, through the real services, relayed to the real audit-log-service. None
 * of the values is in its raw table ({@code details}, {@code client_address}, {@code user_agent}, by SQL), nor in the
 * NDJSON or CSV export; each is there as its pseudonym (HMAC-SHA256 under the deployment's key, computed here apart
 * from the product), so that an investigator holding a value and the key can confirm it; changes are named; ids,
 * statuses and amounts stay readable; the chain stays intact.
 */
class AuditPersonalDataEndToEndTest {
    private static final String ADMIN = TestIssuer.bearer(TestIssuer.adminToken());
    private static final String USER_AGENT = "TrailPiiAgent/5.0 (Snorkelwick)";
    private static final String UNIQUE = UUID.randomUUID().toString().substring(0, 8);
    private static final String EMAIL = "Hortensia.Blackwood-" + UNIQUE + "@Example.net";
    private static final String ADDRESS = "44 Gallowglass Lane, Pemberton PB4 4ZZ";
    private static final String NEW_ADDRESS = "9 Thistledown Mews, Kettering KT9 1AA";
    private static final String NOTES = "call Ignatius first";
    /** Every personal value the traffic below sends, as it would appear in clear (lowercase). */
    private static final List<String> IN_CLEAR = List.of(
            "hortensia",
            "blackwood",
            "featherstonehaugh",
            "4155550987",
            "4155550988",
            "gallowglass",
            "pemberton",
            "thistledown",
            "kettering",
            "ignatius",
            "trailpiiagent",
            "snorkelwick");

    private static RunningSystem system;

    @BeforeAll
    static void start() {
        system = RunningSystem.start();
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    @Test
    void theTrailItsTableAndItsExportsHoldPseudonymsNeverThePersonalValues() throws Exception {
        String userBase = system.users().url() + "/api/v1/users";
        String orderBase = system.orders().url() + "/api/v1/orders";
        String userId = data(send(
                        "POST",
                        userBase,
                        "pii-create-user",
                        "{\"email\":\"" + EMAIL + "\",\"first_name\":\"Hortensia\",\"last_name\":\"Blackwood\","
                                + "\"phone\":\"+14155550987\"}",
                        201))
                .asJsonObject()
                .getString("id");
        send(
                "PATCH",
                userBase + "/" + userId,
                "pii-update-user",
                "{\"last_name\":\"Featherstonehaugh\",\"phone\":\"+14155550988\",\"role\":\"admin\"}",
                200);
        String items = "\"items\":[{\"sku\":\"BK-1\",\"name\":\"Book\",\"quantity\":2,\"unit_price\":12.50}]";
        String orderId = data(send(
                        "POST",
                        orderBase,
                        "pii-create-order",
                        "{\"user_id\":\"" + userId + "\"," + items + ",\"shipping_address\":\"" + ADDRESS
                                + "\",\"notes\":\"" + NOTES + "\"}",
                        201))
                .asJsonObject()
                .getString("id");
        send(
                "PUT",
                orderBase + "/" + orderId,
                "pii-update-order",
                "{\"user_id\":\"" + userId + "\"," + items + ",\"shipping_address\":\"" + NEW_ADDRESS
                        + "\",\"notes\":\"" + NOTES + "\"}",
                200);
        send("DELETE", userBase + "/" + userId, "pii-delete-user", null, 204);

        String trail = system.audit().url() + "/api/v1/audit-logs";
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(data(get(trail + "?limit=100")).asJsonArray())
                        .hasSize(5));

        // the raw table, as an insider with database access reads it
        String database = system.audit()
                .runtime()
                .config()
                .get("audit.log.service.db.name")
                .asString()
                .get();
        List<String> stored = TestPostgres.column(
                database,
                "SELECT CAST(details AS text) || ' ' || coalesce(client_address, '-') || ' '"
                        + " || coalesce(user_agent, '-') FROM audit_entries ORDER BY seq");
        assertThat(stored).hasSize(5);
        assertNoneInClear("audit_entries", String.join("\n", stored));
        assertThat(TestPostgres.column(database, "SELECT DISTINCT user_agent FROM audit_entries"))
                .containsExactly(Pseudonyms.of(USER_AGENT));
        assertThat(TestPostgres.column(database, "SELECT DISTINCT client_address FROM audit_entries"))
                .singleElement()
                .isIn(Pseudonyms.of("127.0.0.1"), Pseudonyms.of("0:0:0:0:0:0:0:1"));

        // the exports, as an auditor takes them away
        HttpResponse<String> ndjson = get(trail + "/export?format=ndjson");
        HttpResponse<String> csv = get(trail + "/export?format=csv");
        assertThat(ndjson.statusCode()).isEqualTo(200);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(ndjson.body().lines()).hasSize(5);
        assertThat(csv.body()).contains(Pseudonyms.of(ADDRESS), Pseudonyms.of(USER_AGENT));
        assertNoneInClear("the NDJSON export", ndjson.body());
        assertNoneInClear("the CSV export", csv.body());

        // each value is there as its pseudonym, which an investigator with the value and the key can confirm
        JsonObject createdUser = entry(trail, "pii-create-user");
        JsonObject user = createdUser.getJsonObject("details").getJsonObject("after");
        assertThat(user.getString("email")).isEqualTo(Pseudonyms.of(EMAIL.toLowerCase(Locale.ROOT)));
        assertThat(user.getString("first_name")).isEqualTo(Pseudonyms.of("Hortensia"));
        assertThat(user.getString("last_name")).isEqualTo(Pseudonyms.of("Blackwood"));
        assertThat(user.getString("phone")).isEqualTo(Pseudonyms.of("+14155550987"));
        assertThat(user.getString("id")).isEqualTo(userId);
        assertThat(user.getString("status")).isEqualTo("active");
        assertThat(createdUser.getString("actor")).isEqualTo(TestIssuer.ADMIN);

        JsonObject userChange = entry(trail, "pii-update-user").getJsonObject("details");
        assertThat(userChange.getJsonArray("changed").getValuesAs(JsonString::getString))
                .containsExactly("last_name", "phone", "role");
        assertThat(userChange.getJsonObject("before").getString("last_name")).isEqualTo(Pseudonyms.of("Blackwood"));
        assertThat(userChange.getJsonObject("after").getString("last_name"))
                .isEqualTo(Pseudonyms.of("Featherstonehaugh"));
        assertThat(userChange.getJsonObject("after").getString("role")).isEqualTo("admin");

        JsonObject order =
                entry(trail, "pii-create-order").getJsonObject("details").getJsonObject("after");
        assertThat(order.getString("shipping_address")).isEqualTo(Pseudonyms.of(ADDRESS));
        assertThat(order.getString("notes")).isEqualTo(Pseudonyms.of(NOTES));
        assertThat(order.getString("user_id")).isEqualTo(userId);
        assertThat(order.getJsonNumber("total_amount").bigDecimalValue()).isEqualByComparingTo("25.00");

        JsonObject orderChange = entry(trail, "pii-update-order").getJsonObject("details");
        assertThat(orderChange.getJsonArray("changed").getValuesAs(JsonString::getString))
                .containsExactly("shipping_address");
        assertThat(orderChange.getJsonObject("after").getString("shipping_address"))
                .isEqualTo(Pseudonyms.of(NEW_ADDRESS));

        JsonObject deleted =
                entry(trail, "pii-delete-user").getJsonObject("details").getJsonObject("before");
        assertThat(deleted.getString("last_name")).isEqualTo(Pseudonyms.of("Featherstonehaugh"));

        assertThat(data(get(trail + "/verify")).asJsonObject().getBoolean("intact"))
                .isTrue();
    }

    private static void assertNoneInClear(String where, String text) {
        assertThat(text.toLowerCase(Locale.ROOT))
                .as("no personal value in clear in " + where)
                .doesNotContain(IN_CLEAR);
    }

    private static JsonObject entry(String trail, String requestId) throws Exception {
        JsonArray found = data(get(trail + "?request_id=" + requestId)).asJsonArray();
        assertThat(found).as("entries of request " + requestId).hasSize(1);
        return found.getJsonObject(0);
    }

    private static HttpResponse<String> send(String method, String url, String requestId, String body, int expected)
            throws Exception {
        return EndToEndCalls.expect(
                expected,
                method,
                url,
                body,
                "Authorization",
                ADMIN,
                "X-Request-ID",
                requestId,
                "User-Agent",
                USER_AGENT);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return EndToEndCalls.call("GET", url, null, "Authorization", ADMIN);
    }

    private static JsonValue data(HttpResponse<String> res) {
        return EndToEndCalls.data(res);
    }
}
