package dev.ems.order;

import static dev.ems.order.OrderTestSupport.ORDERS;
import static dev.ems.order.OrderTestSupport.order;
import static dev.ems.testing.Envelopes.assertError;
import static dev.ems.testing.JsonBodies.body;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.Envelopes;
import dev.ems.testing.HttpResult;
import dev.ems.testing.RawHttp;
import io.helidon.http.Method;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Requests that are wrong before any rule applies: broken JSON, empty bodies, wrong media types, oversized bodies,
 * unknown routes, wrong methods, malformed ids. Every answer is an error envelope that leaks nothing internal, and
 * nothing is created.
 */
class OrderBadInputTest extends OrderServiceTestBase {
    private static final int MAX_BODY = 4096;

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server, Map.of("order.service.max-body-bytes", String.valueOf(MAX_BODY)));
    }

    @Test
    void malformedJsonIsInvalidJson() {
        UUID user = UUID.randomUUID();
        String valid = order(user);
        for (String broken : new String[] {
            "{\"user_id\":",
            "{",
            "}",
            "not json",
            "{'user_id':'x'}",
            valid.substring(0, valid.length() - 1),
            valid.replace("]", ",]"),
            "{\"items\":[}",
            "\u0000",
            "nul",
            "{\"a\":tru}",
            valid + " trailing",
            valid + valid,
            valid + "]",
            valid.replace("\"items\"", "\"user_id\":\"" + user + "\",\"items\"") /* a key given twice */
        }) {
            assertError(api.post(broken), 400, "INVALID_JSON");
        }
        String id = api.create(valid).getString("id");
        assertError(api.put(id, "{\"user_id\":"), 400, "INVALID_JSON");
        assertError(
                api.call(
                        Method.PATCH,
                        ORDERS + "/" + id + "/status",
                        "{\"status\":",
                        "Content-Type",
                        "application/json"),
                400,
                "INVALID_JSON");
        assertError(
                api.call(
                        Method.PATCH,
                        ORDERS + "/" + id + "/status",
                        "{\"status\":\"confirmed\",\"status\":\"cancelled\"}",
                        "Content-Type",
                        "application/json"),
                400,
                "INVALID_JSON");
        assertThat(api.getOrder(id).data().getString("status")).isEqualTo("pending");
        assertThat(api.get(ORDERS + "?user_id=" + user).ids()).containsExactly(id);
    }

    @Test
    void emptyAndNonObjectBodiesAreInvalidJson() {
        UUID user = UUID.randomUUID();
        assertError(api.post(""), 400, "INVALID_JSON");
        assertError(api.post("  \n "), 400, "INVALID_JSON");
        assertError(api.call(Method.POST, ORDERS, null, "Content-Type", "application/json"), 400, "INVALID_JSON");
        for (String notObject : new String[] {"[" + order(user) + "]", "[]", "\"order\"", "42", "null", "true"}) {
            assertError(api.post(notObject), 400, "INVALID_JSON");
        }
        String id = api.create(order(user)).getString("id");
        assertError(api.put(id, ""), 400, "INVALID_JSON");
        assertError(
                api.call(Method.PATCH, ORDERS + "/" + id + "/status", null, "Content-Type", "application/json"),
                400,
                "INVALID_JSON");
        assertError(
                api.call(
                        Method.PATCH,
                        ORDERS + "/" + id + "/status",
                        "\"confirmed\"",
                        "Content-Type",
                        "application/json"),
                400,
                "INVALID_JSON");
        assertThat(api.get(ORDERS + "?user_id=" + user).ids()).containsExactly(id);
    }

    @Test
    void wrongContentTypeIs415() {
        UUID user = UUID.randomUUID();
        String json = order(user);
        for (String type : new String[] {
            "text/plain",
            "text/json",
            "application/xml",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/jsonx"
        }) {
            assertError(api.post(json, "Content-Type", type), 415, "UNSUPPORTED_MEDIA_TYPE");
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertError(
                RawHttp.exchange(
                        port,
                        "POST " + ORDERS + " HTTP/1.1\r\nHost: localhost\r\n" + authorization() + "Content-Length: "
                                + bytes.length + "\r\nConnection: close\r\n\r\n",
                        bytes),
                415,
                "UNSUPPORTED_MEDIA_TYPE");
        assertThat(api.get(ORDERS + "?user_id=" + user).dataArray()).isEmpty();
        JsonObject created = api.create(json, "Content-Type", "application/json; charset=utf-8");
        String id = created.getString("id");
        assertError(api.put(id, json, "Content-Type", "text/plain"), 415, "UNSUPPORTED_MEDIA_TYPE");
        assertError(
                api.call(
                        Method.PATCH,
                        ORDERS + "/" + id + "/status",
                        body("status", "confirmed"),
                        "Content-Type",
                        "application/xml"),
                415,
                "UNSUPPORTED_MEDIA_TYPE");
        assertThat(api.getOrder(id).data()).isEqualTo(created);
        assertThat(users.calls()).isEqualTo(1);
    }

    @Test
    void oversizedBodyIs413() {
        UUID user = UUID.randomUUID();
        String big = order(user, "notes", "n".repeat(MAX_BODY));
        HttpResult res = assertError(api.post(big, "X-Request-ID", "big-order-1"), 413, "PAYLOAD_TOO_LARGE");
        assertThat(res.header("X-Request-ID")).isEqualTo("big-order-1");
        String id = api.create(order(user)).getString("id");
        assertError(api.put(id, big), 413, "PAYLOAD_TOO_LARGE");
        assertThat(api.get(ORDERS + "?user_id=" + user).ids()).containsExactly(id);
    }

    @Test
    void unknownRouteIs404Envelope() {
        for (String path : new String[] {
            "/api/v1/nope",
            "/nope",
            "/api/v2/orders",
            "/api/v1/order",
            ORDERS + "/" + UUID.randomUUID() + "/extra",
            ORDERS + "/" + UUID.randomUUID() + "/status/x",
            "/api/v1/users/" + UUID.randomUUID(),
            "/api/v1/users/" + UUID.randomUUID() + "/orders/x",
            "/"
        }) {
            assertError(api.get(path), 404, "NOT_FOUND");
        }
        assertError(api.call(Method.POST, "/api/v1/nope", "{}", "Content-Type", "application/json"), 404, "NOT_FOUND");
        assertError(api.call(Method.DELETE, "/api/v1/nope", null), 404, "NOT_FOUND");
    }

    @Test
    void wrongMethodIs405WithAllow() {
        assertThat(allowed(assertError(api.call(Method.DELETE, ORDERS, null), 405, "METHOD_NOT_ALLOWED")))
                .containsExactlyInAnyOrder("GET", "POST");
        assertThat(allowed(assertError(
                        api.call(Method.PUT, ORDERS, "{}", "Content-Type", "application/json"),
                        405,
                        "METHOD_NOT_ALLOWED")))
                .containsExactlyInAnyOrder("GET", "POST");
        assertThat(allowed(assertError(
                        api.call(Method.PATCH, ORDERS, "{}", "Content-Type", "application/json"),
                        405,
                        "METHOD_NOT_ALLOWED")))
                .containsExactlyInAnyOrder("GET", "POST");

        String id = api.create(order(UUID.randomUUID())).getString("id");
        String item = ORDERS + "/" + id;
        assertThat(allowed(assertError(
                        api.call(Method.POST, item, "{}", "Content-Type", "application/json"),
                        405,
                        "METHOD_NOT_ALLOWED")))
                .containsExactlyInAnyOrder("GET", "PUT", "DELETE");
        assertThat(allowed(assertError(
                        api.call(Method.PATCH, item, body("status", "confirmed"), "Content-Type", "application/json"),
                        405,
                        "METHOD_NOT_ALLOWED")))
                .containsExactlyInAnyOrder("GET", "PUT", "DELETE");
        assertThat(allowed(assertError(api.call(Method.GET, item + "/status", null), 405, "METHOD_NOT_ALLOWED")))
                .containsExactly("PATCH");
        assertThat(allowed(assertError(
                        api.call(
                                Method.PUT,
                                item + "/status",
                                body("status", "confirmed"),
                                "Content-Type",
                                "application/json"),
                        405,
                        "METHOD_NOT_ALLOWED")))
                .containsExactly("PATCH");
        assertThat(allowed(assertError(
                        api.call(
                                Method.POST,
                                "/api/v1/users/" + UUID.randomUUID() + "/orders",
                                "{}",
                                "Content-Type",
                                "application/json"),
                        405,
                        "METHOD_NOT_ALLOWED")))
                .containsExactly("GET");
        // the order was not touched
        HttpResult get = api.getOrder(id);
        assertThat(get.header("ETag")).isEqualTo("\"1\"");
        assertThat(get.data().getString("status")).isEqualTo("pending");
    }

    @Test
    void malformedIdIsInvalidParameter() {
        for (String bad : new String[] {
            "not-a-uuid",
            "123",
            "1-1-1-1-1",
            UUID.randomUUID() + "0",
            UUID.randomUUID().toString().replace("-", ""),
            "%20",
            "null"
        }) {
            assertThat(assertError(api.getOrder(bad), 400, "INVALID_PARAMETER").detailFields())
                    .as(bad)
                    .containsExactly("id");
        }
        String bad = "not-a-uuid";
        assertError(api.put(bad, order(UUID.randomUUID())), 400, "INVALID_PARAMETER");
        assertError(api.status(bad, "confirmed"), 400, "INVALID_PARAMETER");
        assertError(api.delete(bad), 400, "INVALID_PARAMETER");
        assertError(api.get("/api/v1/users/" + bad + "/orders"), 400, "INVALID_PARAMETER");
        // an upper-case UUID is still a UUID
        String id = api.create(order(UUID.randomUUID())).getString("id");
        assertThat(api.getOrder(id.toUpperCase(Locale.ROOT)).data().getString("id"))
                .isEqualTo(id);
        assertError(api.getOrder(UUID.randomUUID().toString().toUpperCase(Locale.ROOT)), 404, "NOT_FOUND");
    }

    @Test
    void errorBodiesNeverLeakInternals() {
        UUID user = UUID.randomUUID();
        String id = api.create(order(user)).getString("id");
        HttpResult[] responses = {
            api.post("{\"user_id\": \"'; DROP TABLE orders; --\", \"items\": \"SELECT *\"}"),
            api.post("{\"user_id\": 1e999, \"items\": [[[[[[]]]]]], \"notes\": {\"a\": {\"b\": null}}}"),
            api.post("{\"user_id\":\"\\uD800\"}"),
            api.post(order(
                    user,
                    List.of(body(
                            "sku",
                            "x".repeat(300),
                            "name",
                            1,
                            "quantity",
                            JsonValue.EMPTY_JSON_OBJECT,
                            "unit_price",
                            JsonValue.EMPTY_JSON_ARRAY)))),
            api.put(id, "{\"user_id\": \"x\", \"user_id\": \"y\"}"),
            api.get(ORDERS + "?page=%FF%FE"),
            api.get(ORDERS + "?created_from=%27%20OR%201=1"),
            api.get(ORDERS + "/" + "%E0%A4%A"),
            api.getOrder("'%20OR%201=1"),
            api.status(id, "shipped"),
        };
        for (HttpResult res : responses) {
            assertThat(res.status()).as(res.toString()).isBetween(400, 499);
            Envelopes.assertNoLeak(res.body());
            assertThat(res.json().getBoolean("success")).isFalse();
            assertThat(res.header("X-Request-ID")).isNotBlank();
        }
        assertThat(api.get(ORDERS + "?user_id=" + user).ids()).containsExactly(id);
    }

    private static List<String> allowed(HttpResult res) {
        String allow = res.header("Allow");
        assertThat(allow).as("Allow header on " + res).isNotBlank();
        return Arrays.stream(allow.split(",")).map(String::trim).toList();
    }
}
