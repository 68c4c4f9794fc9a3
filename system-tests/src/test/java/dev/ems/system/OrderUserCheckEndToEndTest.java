package dev.ems.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.TestIssuer;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * order-service against the real user-service (each on its own database): the user check, end to end, through a
 * user's whole life in user-service (created, deleted, inactive, suspended, active again). Both trust the tests' issuer;
 * the test acts as its admin, and order-service asks user-service with its own token from that issuer.
 */
class OrderUserCheckEndToEndTest {
    private static final String ADMIN = TestIssuer.bearer(TestIssuer.adminToken());
    private static RunningService users;
    private static RunningService orders;
    private static String usersUrl;
    private static String ordersUrl;

    @BeforeAll
    static void start() {
        users = RunningService.user(Map.of());
        usersUrl = users.url() + "/api/v1/users";
        orders = RunningService.order(users, Map.of());
        ordersUrl = orders.url() + "/api/v1";
    }

    @AfterAll
    static void stop() {
        orders.close();
        users.close();
    }

    @Test
    void ordersFollowTheUsersLifeInUserService() throws Exception {
        // a user in user-service, and orders for it
        UUID alice = createUser("alice");
        String first = createOrder(order(alice, item("E2E-1", 2, "19.99")));
        String second = createOrder(order(alice, item("E2E-2", 1, "5.00"), "\"currency\":\"eur\""));
        assertThat(ids(send("GET", ordersUrl + "/users/" + alice + "/orders", null)))
                .containsExactly(first, second);
        assertThat(ids(send("GET", ordersUrl + "/orders?user_id=" + alice, null)))
                .containsExactly(first, second);

        // a user id user-service never heard of
        assertCode(send("POST", ordersUrl + "/orders", order(UUID.randomUUID())), 422, "USER_NOT_FOUND");

        // the user is deleted in user-service: no new orders for it; its orders stay readable and can move on
        assertThat(send("DELETE", usersUrl + "/" + alice, null).statusCode()).isEqualTo(204);
        JsonObject gone = assertCode(send("POST", ordersUrl + "/orders", order(alice)), 422, "USER_NOT_FOUND");
        assertThat(gone.getJsonObject("error")
                        .getJsonArray("details")
                        .getJsonObject(0)
                        .getString("field"))
                .isEqualTo("user_id");
        assertThat(ids(send("GET", ordersUrl + "/users/" + alice + "/orders", null)))
                .containsExactly(first, second);
        HttpResponse<String> confirmed =
                send("PATCH", ordersUrl + "/orders/" + first + "/status", "{\"status\":\"confirmed\"}");
        assertThat(confirmed.statusCode()).isEqualTo(200);
        // moving an order of someone else to the deleted user is refused too
        UUID bob = createUser("bob");
        String bobs = createOrder(order(bob));
        assertCode(send("PUT", ordersUrl + "/orders/" + bobs, order(alice)), 422, "USER_NOT_FOUND");

        // bob becomes inactive, then suspended: no new orders; editing his order without changing the user still works
        patchStatus(bob, "inactive");
        JsonObject inactive = assertCode(send("POST", ordersUrl + "/orders", order(bob)), 422, "USER_NOT_ACTIVE");
        assertThat(inactive.getJsonObject("error").getString("message")).contains("inactive");
        assertThat(send("PUT", ordersUrl + "/orders/" + bobs, order(bob, "\"notes\":\"kept\""))
                        .statusCode())
                .isEqualTo(200);
        assertCode(
                send(
                        "PUT",
                        ordersUrl + "/orders/" + second,
                        order(bob, item("E2E-2", 1, "5.00"), "\"currency\":\"eur\"")),
                422,
                "USER_NOT_ACTIVE");
        patchStatus(bob, "suspended");
        assertCode(send("POST", ordersUrl + "/orders", order(bob)), 422, "USER_NOT_ACTIVE");

        // active again: orders are accepted again
        patchStatus(bob, "active");
        String again = createOrder(order(bob));
        assertThat(ids(send("GET", ordersUrl + "/orders?user_id=" + bob, null))).containsExactly(bobs, again);
        assertThat(ids(send("GET", ordersUrl + "/orders?user_id=" + alice, null)))
                .containsExactly(first, second);
    }

    private static UUID createUser(String name) throws Exception {
        HttpResponse<String> res = send(
                "POST",
                usersUrl,
                "{\"email\":\"" + name + "-" + UUID.randomUUID() + "@example.com\",\"first_name\":\"" + name
                        + "\",\"last_name\":\"EndToEnd\"}");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(201);
        JsonObject user = json(res).getJsonObject("data");
        assertThat(user.getString("status")).isEqualTo("active");
        return UUID.fromString(user.getString("id"));
    }

    private static void patchStatus(UUID user, String status) throws Exception {
        HttpResponse<String> res = send("PATCH", usersUrl + "/" + user, "{\"status\":\"" + status + "\"}");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(json(res).getJsonObject("data").getString("status")).isEqualTo(status);
    }

    private static String createOrder(String body) throws Exception {
        HttpResponse<String> res = send("POST", ordersUrl + "/orders", body);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(201);
        return json(res).getJsonObject("data").getString("id");
    }

    /** An order body for {@code user}: one item unless given, plus raw JSON members ({@code "currency":"eur"}). */
    private static String order(UUID user, String... parts) {
        String items = parts.length > 0 && parts[0].startsWith("{") ? parts[0] : item("SKU-1", 2, "10.00");
        StringBuilder b = new StringBuilder("{\"user_id\":\"" + user + "\",\"items\":[" + items + "]");
        for (String part : parts) {
            if (!part.startsWith("{")) {
                b.append(',').append(part);
            }
        }
        return b.append('}').toString();
    }

    private static String item(String sku, int quantity, String price) {
        return "{\"sku\":\"" + sku + "\",\"name\":\"Item " + sku + "\",\"quantity\":" + quantity + ",\"unit_price\":"
                + price + "}";
    }

    private static JsonObject assertCode(HttpResponse<String> res, int status, String code) {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
        JsonObject body = json(res);
        assertThat(body.getJsonObject("error").getString("code")).isEqualTo(code);
        return body;
    }

    private static List<String> ids(HttpResponse<String> res) {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return json(res).getJsonArray("data").stream()
                .map(JsonValue::asJsonObject)
                .map(o -> o.getString("id"))
                .toList();
    }

    private static JsonObject json(HttpResponse<String> res) {
        return EndToEndCalls.json(res);
    }

    private static HttpResponse<String> send(String method, String url, String body) throws Exception {
        return EndToEndCalls.call(method, url, body, "Authorization", ADMIN);
    }
}
