package dev.ems.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every service's assembled OpenAPI document, as its build packs it ({@code META-INF/openapi.yaml} in the service's
 * jar), is a valid OpenAPI 3 document: swagger-parser reads it, resolves every reference and has nothing to say; and it
 * documents authentication the same way as the others.
 */
class OpenApiDocumentsTest {
    private static final String RESOURCE = "META-INF/openapi.yaml";

    @TestFactory
    Stream<DynamicTest> everyAssembledDocumentIsValidOpenApi3() {
        return Stream.of("user-service", "order-service", "audit-log-service")
                .map(service -> DynamicTest.dynamicTest(service, () -> assertValid(service)));
    }

    private static void assertValid(String service) throws IOException {
        URL url = document(service);
        String text;
        try (InputStream in = url.openStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(text, null, options);

        assertThat(result.getMessages())
                .as("swagger-parser's messages on " + url)
                .isEmpty();
        OpenAPI api = result.getOpenAPI();
        assertThat(api).as(url.toString()).isNotNull();
        assertThat(api.getOpenapi()).as("OpenAPI version of " + url).startsWith("3.");
        assertThat(api.getInfo().getTitle()).as("title of " + url).contains(service);
        assertThat(api.getPaths()).as("paths of " + url).isNotEmpty();
        assertThat(api.getComponents().getSchemas()).as("schemas of " + url).containsKey("ErrorEnvelope");
        // as written: references kept, so that the responses can be told to be the shared ones
        assertAuthenticationDocumented(
                new OpenAPIV3Parser()
                        .readContents(text, null, new ParseOptions())
                        .getOpenAPI(),
                url);
    }

    /**
     * Every operation needs the bearer token (the document's own {@code security}) except the open ones, /health*,
     * /metrics and /openapi ({@code security: []}); every /api/ operation documents 401 and 403.
     */
    private static void assertAuthenticationDocumented(OpenAPI api, URL url) {
        SecurityScheme bearer = api.getComponents().getSecuritySchemes().get("bearerAuth");
        assertThat(bearer).as("bearerAuth of " + url).isNotNull();
        assertThat(bearer.getType()).isEqualTo(SecurityScheme.Type.HTTP);
        assertThat(bearer.getScheme()).isEqualTo("bearer");
        assertThat(bearer.getBearerFormat()).isEqualTo("JWT");
        assertThat(api.getSecurity())
                .as("the document's security requirement, " + url)
                .containsExactly(new SecurityRequirement().addList("bearerAuth"));
        List<String> wrong = new ArrayList<>();
        api.getPaths()
                .forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
                    String name = method + " " + path;
                    if (path.startsWith("/api/")) {
                        if (op.getSecurity() != null) {
                            wrong.add(name + ": overrides the document's security");
                        }
                        if (!"#/components/responses/Unauthorized".equals(responseRef(op, "401"))) {
                            wrong.add(name + ": 401 is not the shared Unauthorized");
                        }
                        if (!"#/components/responses/Forbidden".equals(responseRef(op, "403"))) {
                            wrong.add(name + ": 403 is not the shared Forbidden");
                        }
                    } else if (op.getSecurity() == null || !op.getSecurity().isEmpty()) {
                        wrong.add(name + ": an open endpoint without security: []");
                    }
                }));
        assertThat(wrong).as("operations of " + url).isEmpty();
    }

    /** The reference of {@code op}'s response for {@code status}, or null. */
    private static String responseRef(Operation op, String status) {
        ApiResponse response = op.getResponses().get(status);
        return response == null ? null : response.get$ref();
    }

    /** The document in {@code service}'s jar (or, when Maven hands over its classes directory, in that). */
    private static URL document(String service) throws IOException {
        List<URL> all =
                Collections.list(OpenApiDocumentsTest.class.getClassLoader().getResources(RESOURCE));
        List<URL> own = all.stream()
                .filter(u -> (u.toString().contains("/" + service + "-")
                                && u.toString().contains(".jar!/"))
                        || u.toString().contains("/" + service + "/target/classes/"))
                .toList();
        assertThat(own)
                .as("the assembled " + RESOURCE + " of " + service + " among " + all)
                .hasSize(1);
        return own.getFirst();
    }
}
