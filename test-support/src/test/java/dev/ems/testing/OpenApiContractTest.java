package dev.ems.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract checks of the shared test client catch what they must, and let through what they must. */
class OpenApiContractTest {
    private static final String[] JSON = {"Content-Type", "application/json"};
    private static final Map<String, List<String>> NO_QUERY = Map.of();
    private static OpenApiContract contract;

    @BeforeAll
    static void load() throws Exception {
        contract = OpenApiContract.of(OpenApiContractTest.class.getResource("/contract/sample-openapi.yaml"));
        Assumptions.assumeTrue(contract.enabled(), "contract checks turned off (-Dems.contract=off)");
        assertThat(contract.service()).isEqualTo("EMS sample-service API");
    }

    private static HttpResult json(int status, String body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("content-type", List.of("application/json"));
        headers.put("x-request-id", List.of("r-1"));
        return new HttpResult(status, headers, body);
    }

    private static HttpResult empty(int status) {
        return new HttpResult(status, Map.of("x-request-id", List.of("r-1")), "");
    }

    private static Map<String, List<String>> query(String name, String value) {
        return Map.of(name, List.of(value));
    }

    @Test
    void documentedExchangesPass() {
        assertThatCode(() -> {
                    contract.check(
                            "GET",
                            "/api/v1/things",
                            query("page", "2"),
                            new String[0],
                            null,
                            json(200, "{\"success\":true,\"data\":{\"name\":\"a\"}}"));
                    contract.check(
                            "POST",
                            "/api/v1/things",
                            NO_QUERY,
                            JSON,
                            "{\"name\":\"a\"}",
                            json(201, "{\"success\":true,\"data\":{\"name\":\"a\"}}"));
                    // an allOf refinement of the closed ErrorEnvelope (the validator's own additionalProperties
                    // injection off)
                    contract.check(
                            "POST",
                            "/api/v1/things",
                            NO_QUERY,
                            JSON,
                            "{\"nam\":\"a\"}",
                            json(
                                    400,
                                    "{\"success\":false,\"error\":{\"code\":\"VALIDATION_ERROR\",\"message\":\"m\"}}"));
                })
                .doesNotThrowAnyException();
    }

    @Test
    void anUndocumentedResponseFieldFails() {
        assertThatThrownBy(() -> contract.check(
                        "GET",
                        "/api/v1/things",
                        NO_QUERY,
                        new String[0],
                        null,
                        json(200, "{\"success\":true,\"data\":{\"name\":\"a\",\"secret\":1}}")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("secret");
    }

    @Test
    void anUndocumentedStatusFails() {
        assertThatThrownBy(() -> contract.check("GET", "/api/v1/things", NO_QUERY, new String[0], null, empty(403)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("403");
    }

    @Test
    void anUndocumentedErrorCodeFails() {
        assertThatThrownBy(() -> contract.check(
                        "POST",
                        "/api/v1/things",
                        NO_QUERY,
                        JSON,
                        "{}",
                        json(400, "{\"success\":false,\"error\":{\"code\":\"CONFLICT\",\"message\":\"m\"}}")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("CONFLICT");
    }

    @Test
    void anAcceptedUndocumentedRequestFailsARefusedOneIsANegativeTest() {
        // accepted with a field the request schema does not have
        assertThatThrownBy(() -> contract.check(
                        "POST",
                        "/api/v1/things",
                        NO_QUERY,
                        JSON,
                        "{\"name\":\"a\",\"x\":1}",
                        json(201, "{\"success\":true,\"data\":{\"name\":\"a\"}}")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("x");
        // accepted with an undocumented query parameter
        assertThatThrownBy(() -> contract.check(
                        "GET",
                        "/api/v1/things",
                        query("sort", "name"),
                        new String[0],
                        null,
                        json(200, "{\"success\":true,\"data\":{\"name\":\"a\"}}")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("sort");
        // the same request refused: only the response is checked
        assertThatCode(() -> contract.check(
                        "GET",
                        "/api/v1/things",
                        query("page", "0"),
                        new String[0],
                        null,
                        json(400, "{\"success\":false,\"error\":{\"code\":\"INVALID_PARAMETER\",\"message\":\"m\"}}")))
                .doesNotThrowAnyException();
    }

    @Test
    void undocumentedOperationsMustBeAnsweredWithAnErrorEnvelope() {
        assertThatCode(() -> {
                    contract.check(
                            "GET",
                            "/api/v1/nothing",
                            NO_QUERY,
                            new String[0],
                            null,
                            json(404, "{\"success\":false,\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"m\"}}"));
                    contract.check(
                            "DELETE",
                            "/api/v1/things",
                            NO_QUERY,
                            new String[0],
                            null,
                            json(
                                    405,
                                    "{\"success\":false,\"error\":{\"code\":\"METHOD_NOT_ALLOWED\",\"message\":\"m\"}}"));
                })
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> contract.check(
                        "GET",
                        "/api/v1/nothing",
                        NO_QUERY,
                        new String[0],
                        null,
                        json(404, "{\"success\":false,\"error\":{\"code\":\"NOT_FOUND\"}}")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("ErrorEnvelope");
        assertThatThrownBy(() -> contract.check("GET", "/api/v1/nothing", NO_QUERY, new String[0], null, empty(404)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("ErrorEnvelope");
        assertThatThrownBy(() -> contract.check(
                        "GET", "/api/v1/nothing", NO_QUERY, new String[0], null, json(200, "{\"success\":true}")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("must be answered with an error");
    }

    @Test
    void aConcretePathWinsOverATemplatedOne() {
        // GET /things/batch is GET on /things/batch (which has only POST), not GET /things/{id} with id "batch"
        assertThatCode(() -> contract.check(
                        "GET",
                        "/api/v1/things/batch",
                        NO_QUERY,
                        new String[0],
                        null,
                        json(405, "{\"success\":false,\"error\":{\"code\":\"METHOD_NOT_ALLOWED\",\"message\":\"m\"}}")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> contract.check(
                        "GET",
                        "/api/v1/things/batch",
                        NO_QUERY,
                        new String[0],
                        null,
                        json(200, "{\"success\":true,\"data\":{\"name\":\"a\"}}")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("must be answered with an error");
    }

    @Test
    void anEmptyTextBodyIsATextBodyAnEmptyJsonOneIsMissing() {
        Map<String, List<String>> ndjson =
                Map.of("content-type", List.of("application/x-ndjson"), "x-request-id", List.of("r-1"));
        assertThatCode(() -> contract.check(
                        "GET", "/api/v1/things/export", NO_QUERY, new String[0], null, new HttpResult(200, ndjson, "")))
                .doesNotThrowAnyException();
        assertThatThrownBy(
                        () -> contract.check("GET", "/api/v1/things/x", NO_QUERY, new String[0], null, json(200, "")))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void anAcceptedRequestMustCarryTheCredentialsItsSecurityRequirementNames() {
        String[] bearer = {"Authorization", "Bearer a.b.c"};
        HttpResult ok = json(200, "{\"success\":true,\"data\":{\"name\":\"a\"}}");
        assertThatCode(() -> contract.check("GET", "/api/v1/secrets", NO_QUERY, bearer, null, ok))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> contract.check("GET", "/api/v1/secrets", NO_QUERY, new String[0], null, ok))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("requires security parameters");
    }

    @Test
    void aResponseMarkedBodyOptionalMayComeWithItsContentOrWithoutABody() {
        assertThatCode(() -> {
                    contract.check("GET", "/api/v1/secrets", NO_QUERY, new String[0], null, empty(403));
                    contract.check(
                            "GET",
                            "/api/v1/secrets",
                            NO_QUERY,
                            new String[0],
                            null,
                            json(403, "{\"success\":false,\"error\":{\"code\":\"FORBIDDEN\",\"message\":\"m\"}}"));
                })
                .doesNotThrowAnyException();
        // a body, though, must be the documented one
        assertThatThrownBy(() -> contract.check(
                        "GET", "/api/v1/secrets", NO_QUERY, new String[0], null, json(403, "{\"success\":false}")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("error");
        // and a response without the mark must come with its body
        assertThatThrownBy(() -> contract.check("GET", "/api/v1/things/x", NO_QUERY, new String[0], null, empty(200)))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void rawResponsesAreCheckedButNotTheirRequests() {
        assertThatCode(() -> contract.checkResponse(
                        "POST", "/api/v1/things", NO_QUERY, json(201, "{\"success\":true,\"data\":{\"name\":\"a\"}}")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> contract.checkResponse(
                        "POST", "/api/v1/things", NO_QUERY, json(201, "{\"success\":true,\"data\":{}}")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("name");
    }
}
