package dev.ems.user;

import static dev.ems.testing.Envelopes.assertError;
import static dev.ems.testing.JsonBodies.body;
import static dev.ems.user.UserTestSupport.USERS;
import static dev.ems.user.UserTestSupport.email;
import static dev.ems.user.UserTestSupport.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.Envelopes;
import dev.ems.testing.HttpResult;
import dev.ems.testing.RawHttp;
import io.helidon.http.Method;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Requests that are wrong before any rule applies: broken JSON, wrong media types, oversized bodies, unknown routes,
 * wrong methods, malformed ids. Every answer is an error envelope that leaks nothing internal.
 */
class UserBadInputTest extends UserServiceTestBase {
    private static final int MAX_BODY = 1024;

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server, Map.of("user.service.max-body-bytes", String.valueOf(MAX_BODY)));
    }

    @Test
    void malformedJsonIsInvalidJson() {
        for (String broken : new String[] {
            "{\"email\":",
            "{",
            "}",
            "not json",
            "{'email':'a@b.com'}",
            "{\"email\":\"a@example.com\",}",
            "{\"email\" \"a\"}",
            "{\"email\":\"unterminated}",
            "\u0000",
            "{\"email\":\"a@example.com\"",
            "nul",
            "{\"a\":tru}"
        }) {
            assertError(api.post(broken), 400, "INVALID_JSON");
        }
        String id = api.create(email("broken"), "Bro", "Ken").getString("id");
        assertError(api.put(id, "{\"email\":"), 400, "INVALID_JSON");
        assertError(api.patch(id, "{\"first_name\":"), 400, "INVALID_JSON");
    }

    @Test
    void trailingContentAfterTheJsonObjectIsInvalidJson() {
        String email = email("trailing");
        String valid = user(email, "Trai", "Ling");
        assertError(api.post(valid + " trailing"), 400, "INVALID_JSON");
        assertError(api.post(valid + "{\"role\":\"admin\"}"), 400, "INVALID_JSON");
        assertError(api.post(valid + "]"), 400, "INVALID_JSON");
        assertThat(api.get(USERS + "?q=" + email.substring(0, email.indexOf('@')))
                        .dataArray())
                .isEmpty();
    }

    @Test
    void emptyBodyIsInvalidJson() {
        assertError(api.post(""), 400, "INVALID_JSON");
        assertError(api.post("   \n "), 400, "INVALID_JSON");
        assertError(api.call(Method.POST, USERS, null, "Content-Type", "application/json"), 400, "INVALID_JSON");
        String id = api.create(email("empty"), "Emp", "Ty").getString("id");
        assertError(api.put(id, ""), 400, "INVALID_JSON");
        assertError(
                api.call(Method.PATCH, USERS + "/" + id, null, "Content-Type", "application/json"),
                400,
                "INVALID_JSON");
    }

    @Test
    void nonObjectJsonIsInvalidJson() {
        String user = user(email("array"), "Ar", "Ray");
        assertError(api.post("[" + user + "]"), 400, "INVALID_JSON");
        assertError(api.post("[]"), 400, "INVALID_JSON");
        assertError(api.post("\"a string\""), 400, "INVALID_JSON");
        assertError(api.post("42"), 400, "INVALID_JSON");
        assertError(api.post("null"), 400, "INVALID_JSON");
        assertError(api.post("true"), 400, "INVALID_JSON");
        String id = api.create(email("arr"), "Ar", "R").getString("id");
        assertError(
                api.patch(id, "[{\"op\":\"replace\",\"path\":\"/first_name\",\"value\":\"X\"}]"), 400, "INVALID_JSON");
    }

    @Test
    void wrongContentTypeIs415() {
        String json = user(email("media"), "Me", "Dia");
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
        JsonObject created = api.create(email("media-ok"), "Me", "Dia");
        String id = created.getString("id");
        assertError(api.put(id, json, "Content-Type", "text/plain"), 415, "UNSUPPORTED_MEDIA_TYPE");
        assertError(
                api.patch(id, body("first_name", "X"), "Content-Type", "text/plain"), 415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(api.getUser(id).data()).isEqualTo(created);
        assertThat(api.get(USERS + "?q=media-").ids()).containsExactly(id);
    }

    @Test
    void missingContentTypeIs415() {
        byte[] json = user(email("no-type"), "No", "Type").getBytes(StandardCharsets.UTF_8);
        HttpResult res = RawHttp.exchange(
                port,
                "POST " + USERS + " HTTP/1.1\r\nHost: localhost\r\n" + authorization() + "Content-Length: "
                        + json.length + "\r\nConnection: close\r\n\r\n",
                json);
        assertError(res, 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void jsonMediaTypeVariantsAreAccepted() {
        HttpResult charset =
                api.post(user(email("charset"), "Char", "Set"), "Content-Type", "application/json; charset=utf-8");
        assertThat(charset.status()).as(charset.toString()).isEqualTo(201);
        String id = charset.data().getString("id");
        HttpResult merge = api.patch(id, body("first_name", "Merged"), "Content-Type", "application/merge-patch+json");
        assertThat(merge.status()).as(merge.toString()).isEqualTo(200);
        assertThat(merge.data().getString("first_name")).isEqualTo("Merged");
    }

    @Test
    void oversizedBodyIs413Envelope() {
        String email = email("big");
        String big = body("email", email, "first_name", "B".repeat(MAX_BODY), "last_name", "Ig");
        assertThat(big.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(MAX_BODY);

        HttpResult res = assertError(api.post(big, "X-Request-ID", "big-body-1"), 413, "PAYLOAD_TOO_LARGE");
        assertThat(res.header("X-Request-ID")).isEqualTo("big-body-1");

        String id = api.create(email("big-target"), "Small", "Enough").getString("id");
        assertError(api.put(id, big), 413, "PAYLOAD_TOO_LARGE");
        assertError(api.patch(id, big), 413, "PAYLOAD_TOO_LARGE");
        assertThat(api.get(USERS + "?q=" + email.substring(0, email.indexOf('@')))
                        .dataArray())
                .isEmpty();
        // the server is still fine afterwards, and a body just under the limit passes
        String justUnder = body("email", email("under"), "first_name", "U", "last_name", "L");
        assertThat(api.post(justUnder).status()).isEqualTo(201);
    }

    @Test
    void oversizedBodyErrorKeepsCorsHeaders() {
        String big = body("email", email("big-cors"), "first_name", "B".repeat(MAX_BODY), "last_name", "Ig");
        HttpResult res = assertError(api.post(big, "Origin", "http://localhost:3000"), 413, "PAYLOAD_TOO_LARGE");
        assertThat(res.header("Access-Control-Allow-Origin")).as(res.toString()).isEqualTo("http://localhost:3000");
    }

    @Test
    void oversizedChunkedBodyIs413Envelope() {
        String email = email("chunked");
        byte[] big = body("email", email, "first_name", "C".repeat(2 * MAX_BODY), "last_name", "Hunk")
                .getBytes(StandardCharsets.UTF_8);
        String chunked =
                Integer.toHexString(big.length) + "\r\n" + new String(big, StandardCharsets.UTF_8) + "\r\n0\r\n\r\n";
        HttpResult res = RawHttp.exchange(
                port,
                "POST " + USERS + " HTTP/1.1\r\nHost: localhost\r\n" + authorization()
                        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
                chunked.getBytes(StandardCharsets.UTF_8));
        assertError(res, 413, "PAYLOAD_TOO_LARGE");
        assertThat(api.get(USERS + "?q=" + email.substring(0, email.indexOf('@')))
                        .dataArray())
                .isEmpty();
    }

    @Test
    void unknownRouteIs404Envelope() {
        for (String path : new String[] {
            "/api/v1/nope",
            "/nope",
            "/api/v2/users",
            "/api/v1/users/" + UUID.randomUUID() + "/extra",
            "/api/v1/user",
            "/"
        }) {
            assertError(api.get(path), 404, "NOT_FOUND");
        }
        assertError(api.call(Method.POST, "/api/v1/nope", "{}", "Content-Type", "application/json"), 404, "NOT_FOUND");
        assertError(api.call(Method.DELETE, "/api/v1/nope", null), 404, "NOT_FOUND");
    }

    @Test
    void wrongMethodIs405WithAllow() {
        HttpResult collection = assertError(api.call(Method.DELETE, USERS, null), 405, "METHOD_NOT_ALLOWED");
        assertThat(allowed(collection)).containsExactlyInAnyOrder("GET", "POST");
        assertThat(allowed(assertError(
                        api.call(Method.PUT, USERS, "{}", "Content-Type", "application/json"),
                        405,
                        "METHOD_NOT_ALLOWED")))
                .containsExactlyInAnyOrder("GET", "POST");
        assertThat(allowed(assertError(
                        api.call(Method.PATCH, USERS, "{}", "Content-Type", "application/json"),
                        405,
                        "METHOD_NOT_ALLOWED")))
                .containsExactlyInAnyOrder("GET", "POST");

        String id = api.create(email("method"), "Me", "Thod").getString("id");
        HttpResult item = assertError(
                api.call(Method.POST, USERS + "/" + id, "{}", "Content-Type", "application/json"),
                405,
                "METHOD_NOT_ALLOWED");
        assertThat(allowed(item)).containsExactlyInAnyOrder("GET", "PUT", "PATCH", "DELETE");
        assertThat(allowed(assertError(api.call(Method.TRACE, USERS + "/" + id, null), 405, "METHOD_NOT_ALLOWED")))
                .containsExactlyInAnyOrder("GET", "PUT", "PATCH", "DELETE");
        // the user was not touched
        assertThat(api.getUser(id).header("ETag")).isEqualTo("\"1\"");
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
            HttpResult get = assertError(api.getUser(bad), 400, "INVALID_PARAMETER");
            assertThat(get.detailFields()).as(bad).containsExactly("id");
        }
        String bad = "not-a-uuid";
        assertError(api.put(bad, user(email("id"), "I", "D")), 400, "INVALID_PARAMETER");
        assertError(api.patch(bad, body("first_name", "X")), 400, "INVALID_PARAMETER");
        assertError(api.delete(bad), 400, "INVALID_PARAMETER");
        // an upper-case UUID is still a UUID (unknown here)
        assertError(api.getUser(UUID.randomUUID().toString().toUpperCase(Locale.ROOT)), 404, "NOT_FOUND");
    }

    @Test
    void errorBodiesNeverLeakInternals() {
        // the assertions above run the leak check on every error; here the nastiest inputs once more, in one place
        String id = api.create(email("leak"), "Le", "Ak").getString("id");
        HttpResult[] responses = {
            api.post("{\"email\": \"x\", \"first_name\": \"'; DROP TABLE users; --\", \"last_name\": \"SELECT *\"}"),
            api.post("{\"email\": 1e999, \"first_name\": [[[[[[]]]]]], \"last_name\": {\"a\": {\"b\": null}}}"),
            api.post("{\"email\":\"\\uD800\"}"),
            api.post("{\"email\": \"" + "x".repeat(300) + "\"}"),
            api.patch(id, "{\"email\": \"x\", \"email\": \"y\"}"),
            api.get(USERS + "?page=%FF%FE"),
            api.get(USERS + "/" + "%E0%A4%A"),
            api.getUser("'%20OR%201=1"),
        };
        for (HttpResult res : responses) {
            assertThat(res.status()).as(res.toString()).isBetween(400, 499);
            Envelopes.assertNoLeak(res.body());
            assertThat(res.json().getBoolean("success")).isFalse();
        }
    }

    private static java.util.List<String> allowed(HttpResult res) {
        String allow = res.header("Allow");
        assertThat(allow).as("Allow header on " + res).isNotBlank();
        return java.util.Arrays.stream(allow.split(",")).map(String::trim).toList();
    }
}
