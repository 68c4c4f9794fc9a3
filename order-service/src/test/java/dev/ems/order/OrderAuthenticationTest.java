package dev.ems.order;

import static dev.ems.order.OrderTestSupport.ORDERS;
import static dev.ems.order.OrderTestSupport.order;
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
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * order-service's API is behind the bearer token of the issuer it is configured with: every route refuses a request
 * without one, or with one that proves nothing, before doing anything (user-service is not even asked); health,
 * metrics and the document stay open; refusals are counted. How a token is verified is core's (TokenVerifierTest,
 * AuthenticationFilterRoutingTest): this proves the service is wired to it. (What each role may do is the access
 * rules' business, OrderAccess.)
 */
class OrderAuthenticationTest extends OrderServiceTestBase {
    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server);
    }

    @Test
    void everyRouteRefusesARequestWithoutABearerTokenAndDoesNothing() {
        UUID user = UUID.randomUUID();
        String id = api.create(order(user)).getString("id");
        users.resetCounts();
        OrderTestSupport.Api anonymous = anonymousApi();
        List<HttpResult> refused = List.of(
                anonymous.post(order(user)),
                anonymous.get(ORDERS),
                anonymous.getOrder(id),
                anonymous.put(id, order(UUID.randomUUID(), "notes", "changed")),
                anonymous.status(id, "cancelled"),
                anonymous.delete(id),
                anonymous.get("/api/v1/users/" + user + "/orders"),
                anonymous.get("/api/v1/no-such-route"),
                api("Basic dGVzdC1hZG1pbjpzZWNyZXQ=").post(order(user)));
        for (HttpResult res : refused) {
            assertTokenRequired(res);
        }
        assertThat(users.calls()).as("calls to user-service").isZero();
        HttpResult unchanged = api.getOrder(id);
        assertThat(unchanged.data().getString("status")).isEqualTo("pending");
        assertThat(unchanged.data().getString("user_id")).isEqualTo(user.toString());
        assertThat(api.get(ORDERS + "?user_id=" + user).ids()).containsExactly(id);
    }

    @Test
    void aTokenThatProvesNothingIsRefusedAsInvalidAndNothingOfItEchoed() {
        UUID user = UUID.randomUUID();
        users.resetCounts();
        for (Map.Entry<String, String> bad : BadTokens.of(issuer).entrySet()) {
            HttpResult res = api(TestIssuer.bearer(bad.getValue())).post(order(user));
            assertThat(res.status()).as(bad.getKey()).isEqualTo(401);
            assertTokenRefused(res, bad.getValue());
        }
        assertThat(users.calls()).as("calls to user-service").isZero();
        assertThat(api.get(ORDERS + "?user_id=" + user).dataArray())
                .as("created")
                .isEmpty();
    }

    @Test
    void healthMetricsAndTheDocumentNeedNoToken() {
        OrderTestSupport.Api anonymous = anonymousApi();
        for (String path : List.of("/health", "/health/live", "/health/ready", "/health/started")) {
            assertThat(anonymous.get(path).status()).as(path).isBetween(200, 204);
        }
        assertThat(anonymous.get("/metrics", "Accept", "text/plain").body()).contains("order_service_requests_total");
        // /openapi is not in order-service's own document, so not asked through the contract-checking helpers
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
        RefusalCounts before = RefusalCounts.of(api, "order_service");
        assertTokenRequired(anonymousApi().get(ORDERS));
        assertTokenRefused(api(TestIssuer.bearer("not-a-jwt")).get(ORDERS), "not-a-jwt");
        // authenticated, but an auditor has no business with orders
        assertError(
                api(TestIssuer.bearer(TestIssuer.token("auditor-1", "auditor"))).get(ORDERS), 403, "FORBIDDEN");
        before.awaitGrowth(api, "order_service", 2, 1);
    }
}
