package dev.ems.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ems.core.http.CommonErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** The assembly of a service's OpenAPI document with the shared components, and the shared components themselves. */
class OpenApiAssemblerTest {
    private static final String SERVICE = """
            openapi: 3.0.3
            info:
              title: test
              version: 1.0.0
            paths:
              /things:
                get:
                  parameters:
                    - $ref: '#/components/parameters/Page'
                  responses:
                    200:
                      description: ok
                      content:
                        application/json:
                          schema:
                            $ref: '#/components/schemas/Thing'
                          example:
                            at: 2026-11-24T10:00:00Z
                    400:
                      $ref: '#/components/responses/BadRequest'
            components:
              schemas:
                Thing:
                  type: object
                  additionalProperties: false
                  properties:
                    at:
                      type: string
                      format: date-time
                    meta:
                      $ref: '#/components/schemas/Meta'
            """;

    @Test
    void mergesTheSharedComponentsIntoTheServiceDocument() {
        Map<String, Object> doc = parse(OpenApiAssembler.assemble(SERVICE, "test", OpenApiAssembler.common()));
        Map<String, Object> components = map(doc.get("components"));
        assertThat(map(components.get("schemas")))
                .containsKeys("Thing", "Meta", "FieldError", "ErrorCode", "Error", "ErrorEnvelope");
        assertThat(map(components.get("parameters")))
                .containsKeys("RequestId", "IfMatch", "Page", "PageSize", "IdempotencyKey");
        assertThat(map(components.get("headers")))
                .containsKeys(
                        "X-Request-ID",
                        "ETag",
                        "Location",
                        "Retry-After",
                        "WWW-Authenticate",
                        "Allow",
                        "Idempotent-Replayed");
        assertThat(map(components.get("securitySchemes"))).containsKey("bearerAuth");
        assertThat(map(components.get("responses")))
                .containsKeys(
                        "BadRequest",
                        "Unauthorized",
                        "Forbidden",
                        "NotFound",
                        "MethodNotAllowed",
                        "Conflict",
                        "PreconditionFailed",
                        "PayloadTooLarge",
                        "UnsupportedMediaType",
                        "UnprocessableContent",
                        "TooManyRequests",
                        "InternalError",
                        "ServiceUnavailable");
        // response codes are strings, timestamps stay the strings they were written as
        Map<String, Object> responses =
                map(map(map(map(doc.get("paths")).get("/things")).get("get")).get("responses"));
        assertThat(responses).containsOnlyKeys("200", "400");
        String text = OpenApiAssembler.assemble(SERVICE, "test", OpenApiAssembler.common());
        assertThat(text).contains("at: '2026-11-24T10:00:00Z'");
    }

    @Test
    void aNameDefinedTwiceIsAnError() {
        String twice = SERVICE.replace("    Thing:", "    Meta:\n      type: string\n    Thing:");
        assertThatThrownBy(() -> OpenApiAssembler.assemble(twice, "test", OpenApiAssembler.common()))
                .hasMessageContaining("components.schemas.Meta is defined both");
    }

    @Test
    void anUnresolvedReferenceIsAnError() {
        String broken = SERVICE.replace("#/components/schemas/Thing'", "#/components/schemas/Thingy'")
                .replace("#/components/parameters/Page'", "other.yaml#/Page'");
        assertThatThrownBy(() -> OpenApiAssembler.assemble(broken, "test", OpenApiAssembler.common()))
                .hasMessageContaining("'#/components/schemas/Thingy' does not resolve")
                .hasMessageContaining("'other.yaml#/Page' does not resolve");
    }

    @Test
    void aNullIsAnErrorBecauseHelidonCannotServeItAsJson() {
        String withNull = SERVICE.replace("at: 2026-11-24T10:00:00Z", "at: null");
        assertThatThrownBy(() -> OpenApiAssembler.assemble(withNull, "test", OpenApiAssembler.common()))
                .hasMessageContaining("/example/at: null");
    }

    @Test
    void aNodeMetTwiceIsWrittenTwiceNeverAsAnAnchorThatHelidonWouldCarryIntoItsJson() {
        // every `security: []` (and `[]` anywhere) loads as the same empty list
        String open = SERVICE.replace("      parameters:", "      security: []\n      parameters:")
                .replace("paths:", "security:\n  - bearerAuth: []\npaths:");
        String text = OpenApiAssembler.assemble(open, "test", OpenApiAssembler.common());
        assertThat(text).doesNotContain("&id", "*id");
        Map<String, Object> doc = parse(text);
        assertThat(map(map(map(doc.get("paths")).get("/things")).get("get")).get("security"))
                .isEqualTo(List.of());
        assertThat(doc.get("security")).isEqualTo(List.of(Map.of("bearerAuth", List.of())));
    }

    @Test
    void aDocumentThatIsNotOpenApi3IsAnError() {
        assertThatThrownBy(() -> OpenApiAssembler.assemble("swagger: '2.0'\n", "test", OpenApiAssembler.common()))
                .hasMessageContaining("not an OpenAPI 3 document");
        assertThatThrownBy(() -> OpenApiAssembler.assemble(
                        "openapi: 3.0.3\nopenapi: 3.0.3\n", "test", OpenApiAssembler.common()))
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void mainWritesTheAssembledFileAndFailsWithoutASource(@TempDir Path dir) throws Exception {
        Path source = dir.resolve("openapi.yaml");
        Files.writeString(source, SERVICE);
        Path out = dir.resolve("classes/META-INF/openapi.yaml");
        OpenApiAssembler.main(new String[] {source.toString(), out.toString()});
        assertThat(map(parse(Files.readString(out)).get("components"))).containsKey("responses");

        assertThatThrownBy(() -> OpenApiAssembler.main(
                        new String[] {dir.resolve("none.yaml").toString(), out.toString()}))
                .hasMessageContaining("no OpenAPI source");
    }

    @Test
    void theErrorCodeEnumHasEveryCommonErrorCode() {
        // the services' own codes are in it too (each service's tests check its own)
        assertThat(documentedCodes())
                .containsAll(
                        Arrays.stream(CommonErrorCode.values()).map(Enum::name).toList());
    }

    @SuppressWarnings("unchecked")
    private static List<String> documentedCodes() {
        Map<String, Object> schemas =
                map(map(parse(OpenApiAssembler.common()).get("components")).get("schemas"));
        return (List<String>) map(schemas.get("ErrorCode")).get("enum");
    }

    @Test
    void everyObjectSchemaIsClosedAndEveryErrorResponseCarriesRequestIdAndAnExamplePerCode() {
        Map<String, Object> components = map(parse(OpenApiAssembler.common()).get("components"));
        List<String> open = new ArrayList<>();
        objectSchemas(components, "", open);
        assertThat(open)
                .as("object schemas without additionalProperties: false")
                .isEmpty();

        List<String> codes = documentedCodes();
        map(components.get("responses")).forEach((name, value) -> {
            Map<String, Object> response = map(value);
            assertThat(map(response.get("headers"))).as(name).containsKey("X-Request-ID");
            // only Forbidden may also come without a body (the CORS refusal)
            assertThat(response.get("x-body-optional"))
                    .as(name + ": x-body-optional")
                    .isEqualTo(name.equals("Forbidden") ? Boolean.TRUE : null);
            Map<String, Object> json = map(map(response.get("content")).get("application/json"));
            assertThat(map(json.get("schema")).get("$ref")).as(name).isEqualTo("#/components/schemas/ErrorEnvelope");
            assertThat(map(json.get("examples"))).as(name).isNotEmpty();
            map(json.get("examples")).forEach((code, example) -> {
                assertThat(codes).as(name).contains(code);
                assertThat(map(map(map(example).get("value")).get("error")).get("code"))
                        .as(name)
                        .isEqualTo(code);
            });
        });
        Map<String, Object> responses = map(components.get("responses"));
        assertThat(map(map(map(responses.get("BadRequest")).get("content")).get("application/json"))
                        .get("examples"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsOnlyKeys("VALIDATION_ERROR", "INVALID_JSON", "INVALID_PARAMETER", "BAD_REQUEST");
        assertThat(map(map(map(responses.get("UnprocessableContent")).get("content"))
                                .get("application/json"))
                        .get("examples"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsOnlyKeys("USER_NOT_FOUND", "USER_NOT_ACTIVE", "IDEMPOTENCY_KEY_REUSED");
        assertThat(map(map(map(responses.get("ServiceUnavailable")).get("content"))
                                .get("application/json"))
                        .get("examples"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsOnlyKeys("SERVICE_UNAVAILABLE", "USER_SERVICE_UNAVAILABLE");
        assertThat(map(map(map(responses.get("Unauthorized")).get("content")).get("application/json"))
                        .get("examples"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsOnlyKeys("UNAUTHORIZED");
        assertThat(map(map(responses.get("Unauthorized")).get("headers"))).containsKey("WWW-Authenticate");
        assertThat(map(map(map(responses.get("Forbidden")).get("content")).get("application/json"))
                        .get("examples"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsOnlyKeys("FORBIDDEN");
        assertThat(map(map(components.get("securitySchemes")).get("bearerAuth")))
                .containsEntry("type", "http")
                .containsEntry("scheme", "bearer")
                .containsEntry("bearerFormat", "JWT");
        assertThat(map(map(components.get("responses")).get("MethodNotAllowed"))
                        .get("headers")
                        .toString())
                .contains("Allow");
        assertThat(map(map(components.get("responses")).get("TooManyRequests"))
                        .get("headers")
                        .toString())
                .contains("Retry-After");
        assertThat(map(map(components.get("responses")).get("ServiceUnavailable"))
                        .get("headers")
                        .toString())
                .contains("Retry-After");
    }

    /** Every map with type: object and properties, without additionalProperties: false (path into {@code open}). */
    private static void objectSchemas(Object node, String path, List<String> open) {
        if (node instanceof Map<?, ?> m) {
            if ("object".equals(m.get("type"))
                    && m.containsKey("properties")
                    && !Boolean.FALSE.equals(m.get("additionalProperties"))
                    && !path.contains("/allOf/")) {
                open.add(path);
            }
            m.forEach((k, v) -> objectSchemas(v, path + "/" + k, open));
        } else if (node instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                objectSchemas(l.get(i), path + "/" + i, open);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    private static Map<String, Object> parse(String yaml) {
        return new Yaml().load(yaml);
    }
}
