package dev.ems.audit;

import static dev.ems.audit.AuditTestSupport.AUDIT;
import static dev.ems.audit.AuditTestSupport.batchOf;
import static dev.ems.audit.AuditTestSupport.entry;
import static dev.ems.audit.AuditTestSupport.unique;
import static dev.ems.testing.Envelopes.assertError;
import static dev.ems.testing.Envelopes.assertTokenRefused;
import static dev.ems.testing.Envelopes.assertTokenRequired;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.ApiCalls;
import dev.ems.testing.BadTokens;
import dev.ems.testing.HttpResult;
import dev.ems.testing.RefusalCounts;
import dev.ems.testing.TestIssuer;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * audit-log-service's API is behind the bearer token of the issuer it is configured with: every route refuses a
 * request without one, or with one that proves nothing, before doing anything (no entry is appended); health, metrics
 * and the document stay open; refusals are counted. How a token is verified is core's (TokenVerifierTest,
 * AuthenticationFilterRoutingTest): this proves the service is wired to it. (What each role may do is the access
 * rules' business, AuditAccess; entries are appended by a service, {@code appender}.)
 */
class AuditAuthenticationTest extends AuditServiceTestBase {
    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server);
    }

    @Test
    void everyRouteRefusesARequestWithoutABearerTokenAndDoesNothing() {
        String id = appender.create(entry()).getString("id");
        String actor = unique("anonymous");
        AuditTestSupport.Api anonymous = anonymousApi();
        List<HttpResult> refused = List.of(
                anonymous.post(entry("actor", actor)),
                anonymous.batch(batchOf(entry("actor", actor))),
                anonymous.get(AUDIT),
                anonymous.getEntry(id),
                anonymous.get(AUDIT + "/export"),
                anonymous.get(AUDIT + "/verify"),
                anonymous.get("/api/v1/no-such-route"),
                api("Basic dGVzdC1hZG1pbjpzZWNyZXQ=").post(entry("actor", actor)));
        for (HttpResult res : refused) {
            assertTokenRequired(res);
        }
        assertThat(api.get(AUDIT + "?actor=" + actor).dataArray())
                .as("appended")
                .isEmpty();
    }

    @Test
    void aTokenThatProvesNothingIsRefusedAsInvalidAndNothingOfItEchoed() {
        // each an admin's token but for what makes it bad: a reader of the trail
        for (Map.Entry<String, String> bad : BadTokens.of(issuer).entrySet()) {
            HttpResult res = api(TestIssuer.bearer(bad.getValue())).get(AUDIT);
            assertThat(res.status()).as(bad.getKey()).isEqualTo(401);
            assertTokenRefused(res, bad.getValue());
        }
    }

    @Test
    void healthMetricsAndTheDocumentNeedNoToken() {
        AuditTestSupport.Api anonymous = anonymousApi();
        for (String path : List.of("/health", "/health/live", "/health/ready", "/health/started")) {
            assertThat(anonymous.get(path).status()).as(path).isBetween(200, 204);
        }
        assertThat(anonymous.get("/metrics", "Accept", "text/plain").body())
                .contains("audit_log_service_requests_total");
        // /openapi is not in audit-log-service's own document, so not asked through the contract-checking helpers
        Http1Client plain = ApiCalls.anonymousClient(port);
        try {
            assertThat(plain.get("/openapi").request(String.class).status().code())
                    .isEqualTo(200);
        } finally {
            plain.closeResource();
        }
    }

    @Test
    void refusalsAreCountedAsUnauthorizedOrForbidden() {
        RefusalCounts before = RefusalCounts.of(api, "audit_log_service");
        assertTokenRequired(anonymousApi().get(AUDIT));
        assertTokenRefused(api(TestIssuer.bearer("not-a-jwt")).get(AUDIT), "not-a-jwt");
        // authenticated, but an admin reads the trail and never writes it
        assertError(api.post(entry()), 403, "FORBIDDEN");
        before.awaitGrowth(api, "audit_log_service", 2, 1);
    }
}
