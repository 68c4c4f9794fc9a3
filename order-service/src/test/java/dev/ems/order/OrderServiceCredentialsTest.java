package dev.ems.order;

import static dev.ems.order.OrderTestSupport.ORDERS;
import static dev.ems.order.ResilienceSupport.assertBreaker;
import static dev.ems.order.ResilienceSupport.breaker;
import static dev.ems.order.ResilienceSupport.createOrder;
import static dev.ems.order.ResilienceSupport.dependencyCalls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.ems.localissuer.LocalIssuer;
import dev.ems.testing.TestIssuer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * order-service calls user-service with a token of its own, from its issuer's client-credentials grant. While the
 * issuer's token endpoint is down (from the start, so no token is held yet), a create, which needs user-service, fails
 * as a dependency failure: 503 USER_SERVICE_UNAVAILABLE with Retry-After, never a 500, without calling user-service,
 * counted against the breaker; what does not need user-service keeps working. Once the endpoint is back, creates work
 * again and user-service receives order-service's service token. The class has an issuer of its own; its tests run in
 * order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrderServiceCredentialsTest extends OrderServiceTestBase {
    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        LocalIssuer own = TestIssuer.start();
        own.tokenEndpointUp(false);
        // opens when half of the last 4 calls failed; half-open 3 s later, closed by one call that succeeds
        startObserved(server, own, breaker("circuit.breaker.timeout", "3s", "circuit.breaker.max.requests", "1"));
    }

    @Test
    @Order(1)
    void whileTheTokenEndpointIsDownCreatesFailAsADependencyFailureAndOpenTheBreaker() {
        double failures = dependencyCalls(client, "failure");
        for (int i = 0; i < 4; i++) {
            ResilienceSupport.Reply refused = createOrder(client);
            refused.assertUserServiceUnavailable();
            assertThat(refused.errorMessage()).isEqualTo("user-service did not answer");
        }
        assertThat(dependencyCalls(client, "failure") - failures).isEqualTo(4);
        assertBreaker(client, "open");
        assertThat(users.calls()).as("calls to user-service without a token").isZero();
        assertThat(api.get(ORDERS).status()).as("a read needs no user-service").isEqualTo(200);
    }

    @Test
    @Order(2)
    void onceItIsBackCreatesWorkAndUserServiceReceivesOrderServicesOwnToken() throws Exception {
        issuer.tokenEndpointUp(true);
        UUID user = UUID.randomUUID();
        // once the breaker lets a call through again
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> createOrder(client, user).status() == 201);
        assertBreaker(client, "closed");
        assertThat(api.get(ORDERS + "?user_id=" + user).dataArray()).hasSize(1);

        List<String> sent = users.authorizations();
        assertThat(sent).hasSize(1);
        assertThat(sent.getFirst()).startsWith("Bearer ");
        JWTClaimsSet token =
                SignedJWT.parse(sent.getFirst().substring("Bearer ".length())).getJWTClaimsSet();
        assertThat(token.getIssuer()).isEqualTo(issuer.issuer());
        assertThat(token.getAudience()).containsExactly(issuer.audience());
        assertThat(token.getSubject()).isEqualTo(Main.SERVICE);
        assertThat(token.getStringClaim("azp")).isEqualTo(Main.SERVICE);
        assertThat(token.getStringListClaim("roles")).containsExactly("service");
    }
}
