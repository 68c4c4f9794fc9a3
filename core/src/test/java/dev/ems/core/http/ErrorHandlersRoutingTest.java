package dev.ems.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.core.filter.RequestIdFilter;
import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import jakarta.json.JsonObject;
import jakarta.json.bind.JsonbException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every kind of failure becomes the error envelope, with the request id, and without internals. */
@RoutingTest
class ErrorHandlersRoutingTest {
    private final DirectClient client;

    ErrorHandlersRoutingTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        routing.addFilter(new RequestIdFilter());
        ErrorHandlers.register(routing);
        routing.get("/boom", (req, res) -> {
                    throw new IllegalStateException("secret internal detail SELECT * FROM users");
                })
                .get("/api-error", (req, res) -> {
                    throw ApiException.validation(List.of(new FieldError("email", "is required")));
                })
                .get("/jsonb", (req, res) -> {
                    throw new JsonbException("Unable to deserialize property 'x' of class dev.ems.Foo");
                })
                .post(
                        "/echo",
                        (req, res) -> Json.send(res, Status.OK_200, ApiResponse.of(JsonBody.read(req, Sample.class))));
    }

    @Test
    void unexpectedExceptionIsAnInternalErrorWithoutDetail() {
        ClientResponseTyped<String> res = client.get("/boom").request(String.class);
        assertThat(res.status()).isEqualTo(Status.INTERNAL_SERVER_ERROR_500);
        JsonObject error = error(res.entity());
        assertThat(error.getString("code")).isEqualTo("INTERNAL_ERROR");
        assertThat(res.entity()).doesNotContain("secret", "SELECT", "IllegalStateException", "Exception");
        assertThat(res.headers().first(RequestContext.REQUEST_ID)).isPresent();
    }

    @Test
    void apiExceptionKeepsItsCodeAndDetails() {
        ClientResponseTyped<String> res = client.get("/api-error")
                .header(RequestContext.REQUEST_ID, "abc-123")
                .request(String.class);
        assertThat(res.status()).isEqualTo(Status.BAD_REQUEST_400);
        JsonObject error = error(res.entity());
        assertThat(error.getString("code")).isEqualTo("VALIDATION_ERROR");
        assertThat(error.getJsonArray("details").getJsonObject(0).getString("field"))
                .isEqualTo("email");
        assertThat(res.headers().first(RequestContext.REQUEST_ID)).contains("abc-123");
    }

    @Test
    void serverSideJsonFailureIsAnInternalErrorWithoutClassNames() {
        // request bodies are checked by JsonBody; a JSON-B failure anywhere else is a server bug, not a client's
        ClientResponseTyped<String> res = client.get("/jsonb").request(String.class);
        assertThat(res.status()).isEqualTo(Status.INTERNAL_SERVER_ERROR_500);
        assertThat(error(res.entity()).getString("code")).isEqualTo("INTERNAL_ERROR");
        assertThat(res.entity()).doesNotContain("dev.ems", "deserialize");
    }

    @Test
    void unmatchedRouteIsANotFoundEnvelope() {
        ClientResponseTyped<String> res = client.get("/nowhere").request(String.class);
        assertThat(res.status()).isEqualTo(Status.NOT_FOUND_404);
        assertThat(error(res.entity()).getString("code")).isEqualTo("NOT_FOUND");
    }

    @Test
    void bodyIsBoundStrictly() {
        ClientResponseTyped<String> ok = client.post("/echo")
                .header(io.helidon.http.HeaderValues.CONTENT_TYPE_JSON)
                .submit(
                        "{\"amount\": 12.30, \"count\": 2, \"tags\": [\"a\"], \"nested_item\": {\"name\": \"n\"}}",
                        String.class);
        assertThat(ok.status()).isEqualTo(Status.OK_200);
        assertThat(ok.entity()).contains("\"amount\":12.30", "\"nested_item\":{\"name\":\"n\"}");

        ClientResponseTyped<String> bad = client.post("/echo")
                .header(io.helidon.http.HeaderValues.CONTENT_TYPE_JSON)
                .submit(
                        "{\"amount\": \"x\", \"count\": 1.5, \"tags\": [1], \"nested_item\": {\"name\": 1, \"zzz\": 0}, \"extra\": 1}",
                        String.class);
        assertThat(bad.status()).isEqualTo(Status.BAD_REQUEST_400);
        JsonObject error = error(bad.entity());
        assertThat(error.getString("code")).isEqualTo("VALIDATION_ERROR");
        assertThat(error.getJsonArray("details").stream()
                        .map(d -> d.asJsonObject().getString("field")))
                .containsExactlyInAnyOrder(
                        "extra", "amount", "count", "tags[0]", "nested_item.zzz", "nested_item.name");
    }

    @Test
    void bodyMustBeJson() {
        ClientResponseTyped<String> res = client.post("/echo")
                .header(io.helidon.http.HeaderValues.CONTENT_TYPE_TEXT_PLAIN)
                .submit("{}", String.class);
        assertThat(res.status()).isEqualTo(Status.UNSUPPORTED_MEDIA_TYPE_415);
        assertThat(error(res.entity()).getString("code")).isEqualTo("UNSUPPORTED_MEDIA_TYPE");

        ClientResponseTyped<String> broken = client.post("/echo")
                .header(io.helidon.http.HeaderValues.CONTENT_TYPE_JSON)
                .submit("{\"amount\": ", String.class);
        assertThat(broken.status()).isEqualTo(Status.BAD_REQUEST_400);
        assertThat(error(broken.entity()).getString("code")).isEqualTo("INVALID_JSON");
    }

    private static JsonObject error(String body) {
        JsonObject json = jakarta.json.Json.createReader(new StringReader(body)).readObject();
        assertThat(json.getBoolean("success")).isFalse();
        return json.getJsonObject("error");
    }

    public record Sample(java.math.BigDecimal amount, Integer count, List<String> tags, Nested nestedItem) {}

    public record Nested(String name) {}
}
