package dev.ems.order;

import static dev.ems.order.OrderTestSupport.ORDERS;
import static dev.ems.order.OrderTestSupport.amount;
import static dev.ems.order.OrderTestSupport.item;
import static dev.ems.order.OrderTestSupport.order;
import static dev.ems.testing.Envelopes.assertError;
import static dev.ems.testing.Envelopes.assertInvalidParameter;
import static dev.ems.testing.Envelopes.assertMeta;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.Envelopes;
import dev.ems.testing.HttpResult;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * CRUD of /api/v1/orders, the per-user listing, list filters (user, status, created range) and pagination edges.
 * user-service is the stand-in, always answering "active".
 */
class OrderApiTest extends OrderServiceTestBase {
    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server);
    }

    @Test
    void createComputesTheTotalExactly() {
        users.resetCounts();
        ClientResponseTyped<String> res = client.post("/api/v1/orders")
                .header(HeaderValues.CONTENT_TYPE_JSON)
                .submit(
                        order(UUID.randomUUID(), List.of(item("A", "a", 3, "0.1"), item("B", "b", 1, "0.2"))),
                        String.class);
        assertThat(res.status()).isEqualTo(Status.CREATED_201);
        assertThat(res.entity()).contains("\"total_amount\":0.50", "\"line_total\":0.30", "\"unit_price\":0.10");
        assertThat(users.requestIds())
                .hasSize(1)
                .allSatisfy(id -> assertThat(id).isNotBlank());
    }

    @Test
    void createWithAllFieldsAnswers201WithLocationEtagAndTheFullOrder() {
        UUID user = UUID.randomUUID();
        Instant before = Instant.now().minusSeconds(5);
        HttpResult res = api.post(order(
                user,
                List.of(item("SKU-A", "Widget", 2, "19.99"), item("SKU-B", "Gadget", 1, "5")),
                "currency",
                "eur",
                "shipping_address",
                "1 Main St, Springfield",
                "notes",
                "leave at the door"));
        assertThat(res.status()).as(res.toString()).isEqualTo(201);
        JsonObject o = res.data();
        String id = o.getString("id");
        assertThat(id).matches(Envelopes.UUID_PATTERN);
        assertThat(res.header("Location")).isEqualTo(ORDERS + "/" + id);
        assertThat(res.header("ETag")).isEqualTo("\"1\"");
        assertThat(res.header("Content-Type")).startsWith("application/json");
        assertThat(o.keySet())
                .containsExactlyInAnyOrder(
                        "id",
                        "user_id",
                        "status",
                        "items",
                        "total_amount",
                        "currency",
                        "shipping_address",
                        "notes",
                        "version",
                        "created_at",
                        "updated_at");
        assertThat(o.getString("user_id")).isEqualTo(user.toString());
        assertThat(o.getString("status")).isEqualTo("pending");
        assertThat(o.getString("currency")).isEqualTo("EUR");
        assertThat(o.getString("shipping_address")).isEqualTo("1 Main St, Springfield");
        assertThat(o.getString("notes")).isEqualTo("leave at the door");
        assertThat(o.getJsonNumber("version").longValueExact()).isEqualTo(1);
        assertThat(amount(o, "total_amount")).isEqualByComparingTo("44.98");
        JsonArray items = o.getJsonArray("items");
        assertThat(items).hasSize(2);
        JsonObject first = items.getJsonObject(0);
        assertThat(first.keySet()).containsExactlyInAnyOrder("sku", "name", "quantity", "unit_price", "line_total");
        assertThat(first.getString("sku")).isEqualTo("SKU-A");
        assertThat(first.getString("name")).isEqualTo("Widget");
        assertThat(first.getInt("quantity")).isEqualTo(2);
        assertThat(amount(first, "unit_price")).isEqualByComparingTo("19.99");
        assertThat(amount(first, "line_total")).isEqualByComparingTo("39.98");
        assertThat(items.getJsonObject(1).getString("sku")).isEqualTo("SKU-B");
        assertThat(amount(items.getJsonObject(1), "line_total")).isEqualByComparingTo("5.00");
        OrderTestSupport.assertAmountsHaveTwoDecimals(res.body());
        Instant created = Instant.parse(o.getString("created_at"));
        assertThat(created).isAfter(before).isBefore(Instant.now().plusSeconds(5));
        assertThat(o.getString("updated_at")).isEqualTo(o.getString("created_at"));

        // GET answers the same order with the same ETag
        HttpResult get = api.getOrder(id);
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.data()).isEqualTo(o);
        assertThat(get.header("ETag")).isEqualTo("\"1\"");
    }

    @Test
    void createWithDefaults() {
        JsonObject o = api.create(order(UUID.randomUUID()));
        assertThat(o.getString("currency")).isEqualTo("USD");
        assertThat(o.getString("status")).isEqualTo("pending");
        assertThat(o.isNull("shipping_address")).isTrue();
        assertThat(o.isNull("notes")).isTrue();
        assertThat(amount(o, "total_amount")).isEqualByComparingTo("20.00");
        // blank optional texts are stored as absent, explicit nulls are accepted
        JsonObject blank =
                api.create(order(UUID.randomUUID(), "shipping_address", "   ", "notes", "", "currency", null));
        assertThat(blank.isNull("shipping_address")).isTrue();
        assertThat(blank.isNull("notes")).isTrue();
        assertThat(blank.getString("currency")).isEqualTo("USD");
    }

    @Test
    void getUnknownOrderIs404() {
        assertError(api.getOrder(UUID.randomUUID().toString()), 404, "NOT_FOUND");
    }

    @Test
    void putReplacesTheOrderWhilePending() {
        UUID user = UUID.randomUUID();
        JsonObject created = api.create(
                order(user, List.of(item("OLD", 1, "1.00")), "notes", "old", "shipping_address", "old address"));
        String id = created.getString("id");
        UUID otherUser = UUID.randomUUID();
        HttpResult put = api.put(
                id,
                order(
                        otherUser,
                        List.of(item("N1", 3, "2.50"), item("N2", 1, "0.99")),
                        "currency",
                        "gbp",
                        "notes",
                        "new"),
                "If-Match",
                "\"1\"");
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(put.header("ETag")).isEqualTo("\"2\"");
        JsonObject o = put.data();
        assertThat(o.getString("id")).isEqualTo(id);
        assertThat(o.getString("user_id")).isEqualTo(otherUser.toString());
        assertThat(o.getString("currency")).isEqualTo("GBP");
        assertThat(o.getString("notes")).isEqualTo("new");
        assertThat(o.isNull("shipping_address"))
                .as("PUT replaces: an omitted address is cleared")
                .isTrue();
        assertThat(o.getJsonArray("items")).hasSize(2);
        assertThat(o.getJsonArray("items").getJsonObject(0).getString("sku")).isEqualTo("N1");
        assertThat(amount(o, "total_amount")).isEqualByComparingTo("8.49");
        assertThat(o.getJsonNumber("version").longValueExact()).isEqualTo(2);
        assertThat(o.getString("status")).isEqualTo("pending");
        assertThat(o.getString("created_at")).isEqualTo(created.getString("created_at"));
        assertThat(Instant.parse(o.getString("updated_at"))).isAfter(Instant.parse(created.getString("updated_at")));
        assertThat(api.getOrder(id).data()).isEqualTo(o);

        // a stale If-Match is 412 and changes nothing
        assertError(api.put(id, order(user), "If-Match", "\"1\""), 412, "PRECONDITION_FAILED");
        assertThat(api.getOrder(id).data()).isEqualTo(o);
        // PUT of an unknown order is 404
        assertError(api.put(UUID.randomUUID().toString(), order(user)), 404, "NOT_FOUND");
    }

    @Test
    void deleteIsSoftAndThe404sFollow() {
        UUID user = UUID.randomUUID();
        String keep = api.create(order(user)).getString("id");
        String gone = api.create(order(user)).getString("id");
        assertError(api.delete(gone, "If-Match", "\"7\""), 412, "PRECONDITION_FAILED");
        HttpResult del = api.delete(gone, "If-Match", "\"1\"");
        assertThat(del.status()).as(del.toString()).isEqualTo(204);
        assertThat(del.body()).isEmpty();
        assertError(api.getOrder(gone), 404, "NOT_FOUND");
        assertError(api.delete(gone), 404, "NOT_FOUND");
        assertError(api.put(gone, order(user)), 404, "NOT_FOUND");
        assertError(api.status(gone, "confirmed"), 404, "NOT_FOUND");
        assertThat(api.get(ORDERS + "?user_id=" + user).ids()).containsExactly(keep);
        assertThat(api.get("/api/v1/users/" + user + "/orders").ids()).containsExactly(keep);
        assertMeta(api.get(ORDERS + "?user_id=" + user), 1, 10, 1, 1);
        // delete without If-Match works too
        assertThat(api.delete(keep).status()).isEqualTo(204);
        assertThat(api.get(ORDERS + "?user_id=" + user).dataArray()).isEmpty();
        assertError(api.delete(UUID.randomUUID().toString()), 404, "NOT_FOUND");
    }

    @Test
    void userOrdersListsOnlyThatUsersOrders() {
        UUID alice = UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        List<String> aliceOrders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            aliceOrders.add(api.create(order(alice)).getString("id"));
            api.create(order(bob));
        }
        HttpResult res = api.get("/api/v1/users/" + alice + "/orders");
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.ids()).isEqualTo(aliceOrders);
        assertMeta(res, 1, 10, 1, 3);
        assertThat(res.dataArray())
                .allSatisfy(
                        v -> assertThat(v.asJsonObject().getString("user_id")).isEqualTo(alice.toString()));
        // with pagination and status filter
        HttpResult page2 = api.get("/api/v1/users/" + alice + "/orders?page=2&page_size=2");
        assertThat(page2.ids()).containsExactly(aliceOrders.get(2));
        assertMeta(page2, 2, 2, 2, 3);
        api.move(aliceOrders.get(1), "confirmed");
        assertThat(api.get("/api/v1/users/" + alice + "/orders?status=confirmed")
                        .ids())
                .containsExactly(aliceOrders.get(1));
        // a user without orders: empty list; a malformed id: 400
        HttpResult none = api.get("/api/v1/users/" + UUID.randomUUID() + "/orders");
        assertThat(none.dataArray()).isEmpty();
        assertMeta(none, 1, 10, 0, 0);
        assertInvalidParameter(api.get("/api/v1/users/not-a-uuid/orders"), "id");
    }

    @Test
    void listFiltersByUserAndStatus() {
        UUID user = UUID.randomUUID();
        String a = api.create(order(user)).getString("id");
        String b = api.create(order(user)).getString("id");
        String c = api.create(order(user)).getString("id");
        String other = api.create(order(UUID.randomUUID())).getString("id");
        api.moveTo(b, "shipped");
        api.moveTo(c, "cancelled");
        assertThat(api.get(ORDERS + "?user_id=" + user).ids()).containsExactly(a, b, c);
        assertThat(api.get(ORDERS + "?user_id=" + user + "&status=pending").ids())
                .containsExactly(a);
        assertThat(api.get(ORDERS + "?user_id=" + user + "&status=shipped").ids())
                .containsExactly(b);
        assertThat(api.get(ORDERS + "?user_id=" + user + "&status=cancelled").ids())
                .containsExactly(c);
        assertThat(api.get(ORDERS + "?user_id=" + user + "&status=delivered").ids())
                .isEmpty();
        assertThat(api.get(ORDERS + "?status=shipped").ids()).contains(b).doesNotContain(a, c, other);
        assertThat(api.get(ORDERS + "?status=pending&page_size=100").ids())
                .contains(a, other)
                .doesNotContain(b, c);
        // upper-case UUID is the same user
        assertThat(api.get(ORDERS + "?user_id=" + user.toString().toUpperCase(Locale.ROOT))
                        .ids())
                .containsExactly(a, b, c);
    }

    @Test
    void listFiltersByCreatedRangeWithRealTimestamps() throws InterruptedException {
        UUID user = UUID.randomUUID();
        List<JsonObject> created = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            created.add(api.create(order(user)));
            Thread.sleep(20);
        }
        List<String> ids = created.stream().map(o -> o.getString("id")).toList();
        String t0 = created.get(0).getString("created_at");
        String t1 = created.get(1).getString("created_at");
        String t2 = created.get(2).getString("created_at");
        String base = ORDERS + "?user_id=" + user;
        // created_from is inclusive
        assertThat(api.get(base + "&created_from=" + t1).ids()).containsExactly(ids.get(1), ids.get(2));
        assertThat(api.get(base + "&created_from=" + t2).ids()).containsExactly(ids.get(2));
        // created_to is exclusive
        assertThat(api.get(base + "&created_to=" + t1).ids()).containsExactly(ids.get(0));
        assertThat(api.get(base + "&created_to=" + t0).ids()).isEmpty();
        // both: [t1, t2) holds only the middle one
        HttpResult range = api.get(base + "&created_from=" + t1 + "&created_to=" + t2);
        assertThat(range.ids()).containsExactly(ids.get(1));
        assertMeta(range, 1, 10, 1, 1);
        // an offset other than Z means the same instant (+ must be percent-encoded in a query)
        String plusTwo =
                Instant.parse(t1).atOffset(java.time.ZoneOffset.ofHours(2)).toString();
        assertThat(api.get(base + "&created_from=" + plusTwo.replace("+", "%2B"))
                        .ids())
                .containsExactly(ids.get(1), ids.get(2));
        // an empty or inverted range is simply empty
        assertThat(api.get(base + "&created_from=" + t2 + "&created_to=" + t0).ids())
                .isEmpty();
        assertThat(api.get(base + "&created_from=2000-01-01T00:00:00Z&created_to=2100-01-01T00:00:00Z")
                        .ids())
                .isEqualTo(ids);
    }

    @Test
    void badFiltersAreInvalidParameter() {
        for (String bad : new String[] {
            "not-a-uuid",
            "123",
            "1-1-1-1-1",
            UUID.randomUUID() + "0",
            UUID.randomUUID().toString().replace("-", "")
        }) {
            assertInvalidParameter(api.get(ORDERS + "?user_id=" + bad), "user_id");
        }
        for (String bad : new String[] {"PENDING", "open", "x", "pending,confirmed"}) {
            assertInvalidParameter(api.get(ORDERS + "?status=" + bad), "status");
        }
        assertInvalidParameter(api.get(ORDERS + "?status=pending&status=shipped"), "status");
        for (String bad : new String[] {
            "yesterday",
            "2025-01-01",
            "2025-01-01T00:00:00",
            "2025-13-01T00:00:00Z",
            "1735689600",
            "2025-01-01 00:00:00Z",
            "2025-01-01T00:00:00+01:00" /* '+' decodes to a blank */
        }) {
            assertInvalidParameter(api.get(ORDERS + "?created_from=" + bad), "created_from");
            assertInvalidParameter(api.get(ORDERS + "?created_to=" + bad), "created_to");
        }
        assertInvalidParameter(api.get("/api/v1/users/" + UUID.randomUUID() + "/orders?status=nope"), "status");
        assertInvalidParameter(api.get("/api/v1/users/" + UUID.randomUUID() + "/orders?created_to=nope"), "created_to");
    }

    @Test
    void paginationEdges() {
        UUID user = UUID.randomUUID();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(api.create(order(user)).getString("id"));
        }
        String base = ORDERS + "?user_id=" + user;
        HttpResult defaults = api.get(base);
        assertThat(defaults.ids()).isEqualTo(ids.subList(0, 10));
        assertMeta(defaults, 1, 10, 2, 12);
        HttpResult p2 = api.get(base + "&page=2");
        assertThat(p2.ids()).isEqualTo(ids.subList(10, 12));
        assertMeta(p2, 2, 10, 2, 12);
        HttpResult beyond = api.get(base + "&page=3");
        assertThat(beyond.dataArray()).isEmpty();
        assertMeta(beyond, 3, 10, 2, 12);
        HttpResult far = api.get(base + "&page=1000000000&page_size=100");
        assertThat(far.dataArray()).isEmpty();
        assertMeta(far, 1000000000, 100, 1, 12);
        HttpResult ones = api.get(base + "&page=12&page_size=1");
        assertThat(ones.ids()).containsExactly(ids.get(11));
        assertMeta(ones, 12, 1, 12, 12);
        HttpResult all = api.get(base + "&page_size=100");
        assertThat(all.ids()).isEqualTo(ids);
        assertThat(new HashSet<>(all.ids())).hasSize(12);
        HttpResult sevens = api.get(base + "&page=2&page_size=7");
        assertThat(sevens.ids()).isEqualTo(ids.subList(7, 12));
        assertMeta(sevens, 2, 7, 2, 12);

        for (String page : new String[] {"0", "-1", "abc", "1.5", "", "1e3", "1000000001", "99999999999999999999"}) {
            assertInvalidParameter(api.get(base + "&page=" + page), "page");
        }
        assertInvalidParameter(api.get(base + "&page=1&page=2"), "page");
        for (String size : new String[] {"0", "101", "-5", "abc", "", "10.0"}) {
            assertInvalidParameter(api.get(base + "&page_size=" + size), "page_size");
        }
    }

    @Test
    void listElementsAreFullOrdersWithExactAmounts() {
        UUID user = UUID.randomUUID();
        JsonObject created = api.create(order(user, List.of(item("X", 3, "0.10"))));
        HttpResult list = api.get(ORDERS + "?user_id=" + user);
        assertThat(list.dataArray().getJsonObject(0)).isEqualTo(created);
        OrderTestSupport.assertAmountsHaveTwoDecimals(list.body());
        assertThat(amount(list.dataArray().getJsonObject(0), "total_amount")).isEqualTo(new BigDecimal("0.30"));
    }
}
