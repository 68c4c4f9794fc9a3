package dev.ems.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every service's assembled OpenAPI document, as its build packs it ({@code META-INF/openapi.yaml} in the service's
 * jar), is a valid OpenAPI 3 document: swagger-parser reads it, resolves every reference and has nothing to say.
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
