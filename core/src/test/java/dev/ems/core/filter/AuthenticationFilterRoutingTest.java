package dev.ems.core.filter;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import dev.ems.core.auth.Caller;
import dev.ems.core.auth.TokenVerifier;
import dev.ems.core.auth.Tokens;
import dev.ems.core.http.ErrorHandlers;
import dev.ems.core.http.RequestContext;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Under /api/ a verified bearer token or 401 (RFC 6750); elsewhere open; the caller reaches the route. */
@RoutingTest
class AuthenticationFilterRoutingTest {
    private static final Tokens TOKENS = new Tokens();
    private final DirectClient client;

    AuthenticationFilterRoutingTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        TokenVerifier verifier =
                TokenVerifier.create(Tokens.SETTINGS, new ImmutableJWKSet<>(TOKENS.publicKeys()), Clock.systemUTC());
        TokenVerifier issuerDown = TokenVerifier.create(
                Tokens.SETTINGS,
                (selector, context) -> {
                    throw new KeySourceException("down");
                },
                Clock.systemUTC());
        routing.addFilter(new RequestIdFilter());
        AuthenticationFilter identified = new AuthenticationFilter(verifier);
        AuthenticationFilter identifiedWithIssuerDown = new AuthenticationFilter(issuerDown);
        routing.addFilter((chain, req, res) -> {
            if (req.path().absolute().path().startsWith("/api/outage")) {
                identifiedWithIssuerDown.filter(chain, req, res);
            } else {
                identified.filter(chain, req, res);
            }
        });
        routing.addFilter(AuthenticationFilter.requireCaller());
        ErrorHandlers.register(routing);
        routing.get(
                        "/api/whoami",
                        (req, res) -> res.send(RequestContext.of(req)
                                .flatMap(RequestContext::caller)
                                .map(Caller::subject)
                                .orElse("nobody")))
                .get("/api/outage", (req, res) -> res.send("unreachable"))
                .get("/health", (req, res) -> res.send("open"));
    }

    @Test
    void aVerifiedCallerReachesTheRoute() {
        ClientResponseTyped<String> res = client.get("/api/whoami")
                .header(
                        HeaderNames.AUTHORIZATION,
                        "Bearer " + TOKENS.rs256(Tokens.claims("user-7").build()))
                .request(String.class);
        assertThat(res.status()).isEqualTo(Status.OK_200);
        assertThat(res.entity()).isEqualTo("user-7");
        ClientResponseTyped<String> lower = client.get("/api/whoami")
                .header(
                        HeaderNames.AUTHORIZATION,
                        "bearer " + TOKENS.es256(Tokens.claims("user-8").build()))
                .request(String.class);
        assertThat(lower.entity()).as("the scheme is case-insensitive").isEqualTo("user-8");
    }

    @Test
    void noTokenIsA401WithTheBearerChallenge() {
        for (String authorization : new String[] {null, "Basic dXNlcjpwYXNz", "Bearer", "Bearer    "}) {
            var request = client.get("/api/whoami");
            if (authorization != null) {
                request.header(HeaderNames.AUTHORIZATION, authorization);
            }
            ClientResponseTyped<String> res = request.request(String.class);
            assertThat(res.status()).as(String.valueOf(authorization)).isEqualTo(Status.UNAUTHORIZED_401);
            assertThat(res.headers().first(HeaderNames.WWW_AUTHENTICATE)).contains("Bearer realm=\"ems\"");
            assertThat(error(res.entity()).getString("code")).isEqualTo("UNAUTHORIZED");
            assertThat(res.headers().first(RequestContext.REQUEST_ID)).isPresent();
        }
    }

    @Test
    void aBadTokenIsA401InvalidTokenThatEchoesNothing() {
        String forged = new Tokens()
                .rs256(Tokens.claims("admin-1").claim("roles", List.of("admin")).build());
        ClientResponseTyped<String> res = client.get("/api/whoami")
                .header(HeaderNames.AUTHORIZATION, "Bearer " + forged)
                .request(String.class);
        assertThat(res.status()).isEqualTo(Status.UNAUTHORIZED_401);
        assertThat(res.headers().first(HeaderNames.WWW_AUTHENTICATE))
                .contains("Bearer realm=\"ems\", error=\"invalid_token\"");
        assertThat(error(res.entity()).getString("code")).isEqualTo("UNAUTHORIZED");
        assertThat(res.entity()).doesNotContain("admin", forged.substring(0, 16), "signature");
    }

    @Test
    void theIssuersOutageIsA503() {
        ClientResponseTyped<String> res = client.get("/api/outage")
                .header(
                        HeaderNames.AUTHORIZATION,
                        "Bearer " + TOKENS.rs256(Tokens.claims("user-7").build()))
                .request(String.class);
        assertThat(res.status()).isEqualTo(Status.SERVICE_UNAVAILABLE_503);
        assertThat(res.headers().first(HeaderNames.RETRY_AFTER)).contains("5");
        assertThat(error(res.entity()).getString("code")).isEqualTo("SERVICE_UNAVAILABLE");
    }

    @Test
    void operationalEndpointsNeedNoToken() {
        ClientResponseTyped<String> res = client.get("/health").request(String.class);
        assertThat(res.status()).isEqualTo(Status.OK_200);
        assertThat(res.entity()).isEqualTo("open");
    }

    private static JsonObject error(String body) {
        return Json.createReader(new StringReader(body)).readObject().getJsonObject("error");
    }
}
