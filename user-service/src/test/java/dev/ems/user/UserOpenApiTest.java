package dev.ems.user;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** /openapi serves the assembled document: YAML by default, JSON on request. */
class UserOpenApiTest extends UserServiceTestBase {
    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server);
    }

    @Test
    void servesYamlByDefault() {
        ClientResponseTyped<String> res = client.get("/openapi").request(String.class);
        assertThat(res.status().code()).isEqualTo(200);
        assertThat(res.headers().contentType().orElseThrow().mediaType().text())
                .isEqualTo("application/vnd.oai.openapi");
        assertThat(res.headers().first(HeaderNames.create("X-Request-ID"))).isPresent();
        Map<String, Object> doc = new Yaml().load(res.entity());
        assertThat(doc.get("openapi")).isEqualTo("3.0.3");
        assertThat(doc.get("paths"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsKeys("/api/v1/users", "/api/v1/users/{id}");
    }

    @Test
    void servesJsonOnRequest() {
        ClientResponseTyped<String> accept = client.get("/openapi")
                .header(HeaderNames.ACCEPT, "application/json")
                .request(String.class);
        ClientResponseTyped<String> format =
                client.get("/openapi").queryParam("format", "JSON").request(String.class);
        for (ClientResponseTyped<String> res : java.util.List.of(accept, format)) {
            assertThat(res.status().code()).isEqualTo(200);
            assertThat(res.headers().contentType().orElseThrow().mediaType().text())
                    .isEqualTo("application/json");
            JsonObject doc = Json.createReader(new StringReader(res.entity())).readObject();
            assertThat(doc.getString("openapi")).isEqualTo("3.0.3");
            assertThat(doc.getJsonObject("paths")).containsKeys("/api/v1/users", "/api/v1/users/{id}");
            assertThat(doc.getJsonObject("paths")
                            .getJsonObject("/api/v1/users")
                            .getJsonObject("get")
                            .getJsonObject("responses"))
                    .containsKey("200");
        }
    }
}
