package dev.ems.order;

import static dev.ems.order.OrderTestSupport.ORDERS;
import static dev.ems.order.OrderTestSupport.item;
import static dev.ems.order.OrderTestSupport.order;
import static dev.ems.testing.Envelopes.assertError;
import static dev.ems.testing.Envelopes.assertValidation;
import static dev.ems.testing.JsonBodies.body;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.HttpResult;
import io.helidon.http.Method;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The order lifecycle: all 25 status pairs, If-Match on status changes, what PUT may change after pending. */
class OrderStatusTest extends OrderServiceTestBase {
    private static final List<String> STATUSES = List.of("pending", "confirmed", "shipped", "delivered", "cancelled");
    private static final Set<String> ALLOWED = Set.of(
            "pending>confirmed", "pending>cancelled", "confirmed>shipped", "confirmed>cancelled", "shipped>delivered");

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server);
    }

    @Test
    void everyPairOfStatuses() {
        List<String> mismatches = new ArrayList<>();
        for (String from : STATUSES) {
            for (String to : STATUSES) {
                String id = api.create(order(UUID.randomUUID())).getString("id");
                JsonObject before = api.moveTo(id, from);
                assertThat(before.getString("status")).isEqualTo(from);
                long version = before.getJsonNumber("version").longValueExact();
                HttpResult res = api.status(id, to);
                boolean allowed = ALLOWED.contains(from + ">" + to);
                if (allowed) {
                    if (res.status() != 200) {
                        mismatches.add(from + " -> " + to + ": " + res);
                        continue;
                    }
                    JsonObject after = res.data();
                    assertThat(after.getString("status")).isEqualTo(to);
                    assertThat(after.getJsonNumber("version").longValueExact()).isEqualTo(version + 1);
                    assertThat(res.header("ETag")).isEqualTo("\"" + (version + 1) + "\"");
                    assertThat(api.getOrder(id).data()).isEqualTo(after);
                } else {
                    if (res.status() != 409) {
                        mismatches.add(from + " -> " + to + ": " + res);
                        continue;
                    }
                    assertError(res, 409, "INVALID_STATE_TRANSITION");
                    assertThat(res.error().getString("message")).contains(from, to);
                    assertThat(api.getOrder(id).data())
                            .as("a refused change leaves the order as it was")
                            .isEqualTo(before);
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void theFullHappyPathAndTimestamps() {
        JsonObject created = api.create(order(UUID.randomUUID()));
        String id = created.getString("id");
        JsonObject last = created;
        for (String next : List.of("confirmed", "shipped", "delivered")) {
            JsonObject now = api.move(id, next);
            assertThat(now.getString("created_at")).isEqualTo(created.getString("created_at"));
            assertThat(java.time.Instant.parse(now.getString("updated_at")))
                    .isAfter(java.time.Instant.parse(last.getString("updated_at")));
            assertThat(now.getJsonArray("items")).isEqualTo(created.getJsonArray("items"));
            assertThat(now.get("total_amount")).isEqualTo(created.get("total_amount"));
            last = now;
        }
        assertThat(last.getJsonNumber("version").longValueExact()).isEqualTo(4);
    }

    @Test
    void ifMatchOnStatusChange() {
        String id = api.create(order(UUID.randomUUID())).getString("id");
        HttpResult stale = assertError(api.status(id, "confirmed", "If-Match", "\"2\""), 412, "PRECONDITION_FAILED");
        assertThat(stale.error().getString("message")).contains("\"1\"");
        assertError(api.status(id, "confirmed", "If-Match", "W/\"1\""), 412, "PRECONDITION_FAILED");
        assertError(api.status(id, "confirmed", "If-Match", "\"abc\""), 412, "PRECONDITION_FAILED");
        assertThat(api.getOrder(id).data().getString("status")).isEqualTo("pending");

        HttpResult ok = api.status(id, "confirmed", "If-Match", "\"1\"");
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ok.header("ETag")).isEqualTo("\"2\"");
        // the old tag is stale now; a list of tags naming the current one matches; * matches anything
        assertError(api.status(id, "shipped", "If-Match", "\"1\""), 412, "PRECONDITION_FAILED");
        assertThat(api.status(id, "shipped", "If-Match", "\"1\", \"2\"").status())
                .isEqualTo(200);
        assertThat(api.status(id, "delivered", "If-Match", "*").status()).isEqualTo(200);
        assertThat(api.getOrder(id).header("ETag")).isEqualTo("\"4\"");
        // a refused transition with a matching If-Match is still 409, with a stale one 412
        assertError(api.status(id, "cancelled", "If-Match", "\"4\""), 409, "INVALID_STATE_TRANSITION");
        assertError(api.status(id, "cancelled", "If-Match", "\"3\""), 412, "PRECONDITION_FAILED");
        assertError(api.status(UUID.randomUUID().toString(), "confirmed", "If-Match", "\"1\""), 404, "NOT_FOUND");
    }

    @Test
    void afterPendingOnlyNotesAndAddressCanChange() {
        UUID user = UUID.randomUUID();
        List<String> items = List.of(item("A", 2, "10.00"), item("B", 1, "0.50"));
        String id =
                api.create(order(user, items, "currency", "EUR", "notes", "n1")).getString("id");
        api.move(id, "confirmed");
        users.resetCounts();

        HttpResult moreItems = assertError(
                api.put(id, order(user, List.of(item("A", 3, "10.00"), item("B", 1, "0.50")), "currency", "EUR")),
                409,
                "CONFLICT");
        assertThat(moreItems.error().getString("message")).contains("confirmed");
        assertError(api.put(id, order(user, items.subList(0, 1), "currency", "EUR")), 409, "CONFLICT");
        assertError(
                api.put(id, order(user, List.of(item("A", 2, "10.01"), item("B", 1, "0.50")), "currency", "EUR")),
                409,
                "CONFLICT");
        assertError(api.put(id, order(user, items, "currency", "USD")), 409, "CONFLICT");
        assertError(api.put(id, order(user, items)), 409, "CONFLICT"); // currency defaults to USD
        assertError(api.put(id, order(UUID.randomUUID(), items, "currency", "EUR")), 409, "CONFLICT");
        assertThat(users.calls())
                .as("a refused user change does not ask user-service")
                .isZero();
        JsonObject unchanged = api.getOrder(id).data();
        assertThat(unchanged.getJsonNumber("version").longValueExact()).isEqualTo(2);

        // same items (prices written differently), same currency (other case), new notes and address: fine
        HttpResult ok = api.put(
                id,
                order(
                        user,
                        List.of(item("A", 2, "1e1"), item("B", 1, "0.5")),
                        "currency",
                        "eur",
                        "notes",
                        "n2",
                        "shipping_address",
                        "new address"),
                "If-Match",
                "\"2\"");
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        JsonObject o = ok.data();
        assertThat(o.getString("status")).isEqualTo("confirmed");
        assertThat(o.getString("notes")).isEqualTo("n2");
        assertThat(o.getString("shipping_address")).isEqualTo("new address");
        assertThat(o.getJsonArray("items")).isEqualTo(unchanged.getJsonArray("items"));
        assertThat(o.getJsonNumber("version").longValueExact()).isEqualTo(3);
        assertThat(users.calls()).isZero();

        // still possible once delivered or cancelled
        api.move(id, "shipped");
        api.move(id, "delivered");
        HttpResult late = api.put(id, order(user, items, "currency", "EUR", "notes", "after delivery"));
        assertThat(late.status()).as(late.toString()).isEqualTo(200);
        assertThat(late.data().getString("notes")).isEqualTo("after delivery");
        assertThat(late.data().isNull("shipping_address")).isTrue();
        assertThat(late.data().getString("status")).isEqualTo("delivered");
        assertError(api.put(id, order(user, List.of(item("Z", 1, "1.00")), "currency", "EUR")), 409, "CONFLICT");

        String cancelled = api.create(order(user, items)).getString("id");
        api.move(cancelled, "cancelled");
        assertThat(api.put(cancelled, order(user, items, "notes", "why")).status())
                .isEqualTo(200);
        assertError(api.put(cancelled, order(user, List.of(item("Z", 1, "1.00")))), 409, "CONFLICT");
    }

    @Test
    void invalidStatusValuesAre400() {
        String id = api.create(order(UUID.randomUUID())).getString("id");
        for (String bad : new String[] {"PENDING", "Confirmed", "unknown", "", " confirmed", "canceled"}) {
            assertValidation(api.status(id, bad), "status");
        }
        String path = ORDERS + "/" + id + "/status";
        assertValidation(api.call(Method.PATCH, path, "{}", "Content-Type", "application/json"), "status");
        assertValidation(
                api.call(Method.PATCH, path, body("status", null), "Content-Type", "application/json"), "status");
        assertValidation(api.call(Method.PATCH, path, body("status", 1), "Content-Type", "application/json"), "status");
        assertValidation(
                api.call(
                        Method.PATCH,
                        path,
                        body("status", "confirmed", "reason", "x"),
                        "Content-Type",
                        "application/json"),
                "reason");
        assertError(
                api.call(Method.PATCH, path, "{\"status\":", "Content-Type", "application/json"), 400, "INVALID_JSON");
        assertError(
                api.call(Method.PATCH, path, body("status", "confirmed"), "Content-Type", "text/plain"),
                415,
                "UNSUPPORTED_MEDIA_TYPE");
        assertError(api.status("nope", "confirmed"), 400, "INVALID_PARAMETER");
        assertThat(api.getOrder(id).data().getJsonNumber("version").longValueExact())
                .isEqualTo(1);
    }
}
