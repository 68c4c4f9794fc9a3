package dev.ems.user;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The assembled document (target/classes/META-INF/openapi.yaml, what /openapi serves) is valid and complete. */
class UserOpenApiDocumentTest {
    private static String text;
    private static OpenAPI api;

    @BeforeAll
    static void read() throws IOException {
        try (InputStream in =
                UserOpenApiDocumentTest.class.getClassLoader().getResourceAsStream("META-INF/openapi.yaml")) {
            assertThat(in)
                    .as("META-INF/openapi.yaml on the classpath (assembled in process-classes)")
                    .isNotNull();
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ParseOptions options = new ParseOptions();
        options.setResolve(false);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(text, null, options);
        assertThat(result.getMessages()).as("swagger-parser messages").isEmpty();
        api = result.getOpenAPI();
    }

    @Test
    void isAValidOpenApi3DocumentOfEveryPath() {
        assertThat(api.getOpenapi()).isEqualTo("3.0.3");
        assertThat(api.getPaths())
                .containsOnlyKeys(
                        "/api/v1/users",
                        "/api/v1/users/{id}",
                        "/health",
                        "/health/live",
                        "/health/ready",
                        "/health/started",
                        "/metrics",
                        "/openapi");
        PathItem users = api.getPaths().get("/api/v1/users");
        assertThat(users.readOperationsMap().keySet())
                .containsExactlyInAnyOrder(PathItem.HttpMethod.GET, PathItem.HttpMethod.POST);
        PathItem user = api.getPaths().get("/api/v1/users/{id}");
        assertThat(user.readOperationsMap().keySet())
                .containsExactlyInAnyOrder(
                        PathItem.HttpMethod.GET,
                        PathItem.HttpMethod.PUT,
                        PathItem.HttpMethod.PATCH,
                        PathItem.HttpMethod.DELETE);
        assertThat(user.getPatch().getRequestBody().getContent())
                .containsKeys("application/json", "application/merge-patch+json");
    }

    @Test
    void everyResponseOfEveryOperationCarriesXRequestIdAndEveryApiOperationItsErrors() {
        List<String> missing = new ArrayList<>();
        api.getPaths()
                .forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
                    op.getResponses().forEach((status, response) -> {
                        if (!headers(response).containsKey("X-Request-ID")) {
                            missing.add(method + " " + path + " " + status);
                        }
                    });
                    if (path.startsWith("/api/")) {
                        assertThat(op.getResponses())
                                .as(method + " " + path)
                                .containsKeys("400", "401", "403", "429", "500", "503");
                    }
                }));
        assertThat(missing).as("responses without X-Request-ID").isEmpty();

        Operation create = api.getPaths().get("/api/v1/users").getPost();
        assertThat(headers(create.getResponses().get("201"))).containsKeys("Location", "ETag");
        assertThat(create.getResponses()).containsKeys("409", "413", "415");
        PathItem user = api.getPaths().get("/api/v1/users/{id}");
        for (Operation write : List.of(user.getPut(), user.getPatch(), user.getDelete())) {
            assertThat(write.getResponses()).containsKeys("404", "412");
            assertThat(write.getParameters()).anyMatch(p -> "#/components/parameters/IfMatch".equals(p.get$ref()));
        }
        assertThat(headers(user.getGet().getResponses().get("200"))).containsKey("ETag");
        assertThat(user.getDelete().getResponses()).containsKey("204");
    }

    @Test
    void theUserSchemasAreClosedWithTheirEnums() {
        Map<String, io.swagger.v3.oas.models.media.Schema> schemas =
                api.getComponents().getSchemas();
        for (String name : List.of(
                "User",
                "UserRequest",
                "UserPatch",
                "UserEnvelope",
                "UserListEnvelope",
                "Meta",
                "Error",
                "ErrorEnvelope",
                "FieldError")) {
            assertThat(schemas.get(name).getAdditionalProperties()).as(name).isEqualTo(false);
        }
        assertThat(schemas.get("Role").getEnum()).containsExactly("user", "admin");
        assertThat(schemas.get("UserStatus").getEnum()).containsExactly("active", "inactive", "suspended");
        assertThat(schemas.get("User").getRequired()).contains("phone");
        assertThat(((io.swagger.v3.oas.models.media.Schema<?>)
                                schemas.get("User").getProperties().get("phone"))
                        .getNullable())
                .isTrue();
        // no null anywhere: Helidon cannot serve a null in the JSON form of the document
        assertThat(new Yaml().load(text).toString()).doesNotContain("=null");
    }

    @SuppressWarnings("rawtypes")
    private static Map headers(ApiResponse response) {
        if (response.get$ref() != null) {
            String name = response.get$ref().substring(response.get$ref().lastIndexOf('/') + 1);
            response = api.getComponents().getResponses().get(name);
        }
        return response.getHeaders() == null ? Map.of() : response.getHeaders();
    }
}
