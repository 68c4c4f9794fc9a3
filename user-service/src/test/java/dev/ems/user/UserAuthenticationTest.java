package dev.ems.user;

import static dev.ems.testing.Envelopes.assertError;
import static dev.ems.testing.Envelopes.assertTokenRefused;
import static dev.ems.testing.Envelopes.assertTokenRequired;
import static dev.ems.testing.JsonBodies.body;
import static dev.ems.user.UserTestSupport.USERS;
import static dev.ems.user.UserTestSupport.email;
import static dev.ems.user.UserTestSupport.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.BadTokens;
import dev.ems.testing.HttpResult;
import dev.ems.testing.RefusalCounts;
import dev.ems.testing.TestIssuer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * user-service's API is behind the bearer token of the issuer it is configured with: every route refuses a request
 * without one, or with one that proves nothing, before doing anything; health, metrics and the document stay open;
 * refusals are counted. How a token is verified is core's (TokenVerifierTest, AuthenticationFilterRoutingTest): this
 * proves the service is wired to it. (What each role may do is the access rules' business, UserAccess.)
 */
class UserAuthenticationTest extends UserServiceTestBase {
    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server);
    }

    @Test
    void everyRouteRefusesARequestWithoutABearerTokenAndDoesNothing() {
        String id = api.create(email("auth-target"), "Ada", "Lovelace").getString("id");
        UserTestSupport.Api anonymous = anonymousApi();
        List<HttpResult> refused = List.of(
                anonymous.post(user(email("anonymous"), "No", "Token")),
                anonymous.get(USERS),
                anonymous.getUser(id),
                anonymous.put(id, user(email("anonymous"), "No", "Token")),
                anonymous.patch(id, body("first_name", "Mallory")),
                anonymous.delete(id),
                anonymous.get("/api/v1/no-such-route"),
                // credentials of another scheme are no bearer token
                api("Basic dGVzdC1hZG1pbjpzZWNyZXQ=").get(USERS),
                api("Bearer ").get(USERS));
        for (HttpResult res : refused) {
            assertTokenRequired(res);
        }
        assertThat(api.getUser(id).data().getString("first_name")).isEqualTo("Ada");
        assertThat(api.get(USERS + "?q=anonymous").dataArray()).as("created").isEmpty();
    }

    @Test
    void aTokenThatProvesNothingIsRefusedAsInvalidAndNothingOfItEchoed() {
        for (Map.Entry<String, String> bad : BadTokens.of(issuer).entrySet()) {
            HttpResult res = api(TestIssuer.bearer(bad.getValue())).post(user(email("bad-token"), "Bad", "Token"));
            assertThat(res.status()).as(bad.getKey()).isEqualTo(401);
            assertTokenRefused(res, bad.getValue());
        }
        assertThat(api.get(USERS + "?q=bad-token").dataArray()).as("created").isEmpty();
    }

    @Test
    void healthMetricsAndTheDocumentNeedNoToken() {
        UserTestSupport.Api anonymous = anonymousApi();
        for (String path : List.of("/health", "/health/live", "/health/ready", "/health/started", "/openapi")) {
            assertThat(anonymous.get(path).status()).as(path).isBetween(200, 204);
        }
        assertThat(anonymous.get("/metrics", "Accept", "text/plain").body()).contains("user_service_requests_total");
    }

    @Test
    void refusalsAreCountedAsUnauthorizedOrForbidden() {
        RefusalCounts before = RefusalCounts.of(api, "user_service");
        assertTokenRequired(anonymousApi().get(USERS));
        assertTokenRefused(api(TestIssuer.bearer("not-a-jwt")).get(USERS), "not-a-jwt");
        // authenticated, but an auditor has no business with users
        assertError(
                api(TestIssuer.bearer(TestIssuer.token("auditor-1", "auditor"))).get(USERS), 403, "FORBIDDEN");
        before.awaitGrowth(api, "user_service", 2, 1);
    }
}
