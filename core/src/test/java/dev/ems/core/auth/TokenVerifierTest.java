package dev.ems.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {
    private final Tokens tokens = new Tokens();
    private final AtomicInteger keyLookups = new AtomicInteger();
    private final TokenVerifier verifier = verifier(Tokens.SETTINGS);

    private TokenVerifier verifier(AuthSettings settings) {
        JWKSource<SecurityContext> published = new ImmutableJWKSet<>(tokens.publicKeys());
        JWKSource<SecurityContext> counting = (JWKSelector selector, SecurityContext context) -> {
            keyLookups.incrementAndGet();
            return published.get(selector, context);
        };
        return TokenVerifier.create(settings, counting, Clock.systemUTC());
    }

    @Test
    void aValidTokenOfEitherAlgorithmGivesItsCaller() {
        Caller rs = verifier.verify(tokens.rs256(c -> c.claim("roles", List.of("admin", "auditor"))));
        assertThat(rs.subject()).isEqualTo("user-1");
        assertThat(rs.roles()).containsExactlyInAnyOrder(Caller.Role.ADMIN, Caller.Role.AUDITOR);
        assertThat(rs.serviceIdentity()).isEmpty();

        Caller es = verifier.verify(tokens.es256(Tokens.claims("user-2").build()));
        assertThat(es.subject()).isEqualTo("user-2");
        assertThat(es.roles()).containsExactly(Caller.Role.USER);
    }

    @Test
    void rolesEmsDoesNotKnowAreIgnoredAndNonStringsCountAsNone() {
        assertThat(verifier.verify(tokens.rs256(c -> c.claim("roles", List.of("superuser", "service", 7))))
                        .roles())
                .containsExactly(Caller.Role.SERVICE);
        assertThat(verifier.verify(tokens.rs256(c -> c.claim("roles", "admin"))).roles())
                .isEmpty();
        assertThat(verifier.verify(tokens.rs256(c -> c.claim("roles", null))).roles())
                .isEmpty();
    }

    @Test
    void theRolesClaimMayBeADottedPathAsKeycloakWritesIt() {
        AuthSettings keycloak = new AuthSettings(
                Tokens.ISSUER,
                Tokens.AUDIENCE,
                Tokens.SETTINGS.jwksUri(),
                "realm_access.roles",
                Tokens.SETTINGS.tokenUri(),
                Map.of());
        String token = tokens.rs256(c ->
                c.claim("roles", null).claim("realm_access", Map.of("roles", List.of("auditor", "offline_access"))));
        assertThat(verifier(keycloak).verify(token).roles()).containsExactly(Caller.Role.AUDITOR);
        assertThat(verifier.verify(token).roles())
                .as("the default claim 'roles' is absent")
                .isEmpty();
    }

    @Test
    void aServiceIsKnownByItsAuthorizedPartyElseClientIdElseSubject() {
        assertThat(verifier.verify(tokens.rs256(c -> c.claim("roles", List.of("service"))
                                .claim("azp", "order-service")
                                .claim("client_id", "other")))
                        .serviceIdentity())
                .contains("order-service");
        assertThat(verifier.verify(tokens.rs256(c -> c.subject("sa-1")
                                .claim("roles", List.of("service"))
                                .claim("client_id", "user-service")))
                        .serviceIdentity())
                .contains("user-service");
        assertThat(verifier.verify(tokens.rs256(c -> c.subject("audit-relay").claim("roles", List.of("service"))))
                        .serviceIdentity())
                .contains("audit-relay");
        assertThat(verifier.verify(tokens.rs256(c -> c.claim("azp", "order-service")))
                        .serviceIdentity())
                .as("not a service without the role")
                .isEqualTo(Optional.empty());
    }

    @Test
    void aGeneratedClientIdIsKnownByTheServiceNameItIsGiven() {
        AuthSettings auth0 = new AuthSettings(
                Tokens.ISSUER,
                Tokens.AUDIENCE,
                Tokens.SETTINGS.jwksUri(),
                "roles",
                Tokens.SETTINGS.tokenUri(),
                Map.of("Xk2vQ8b1", "user-service"));
        assertThat(verifier(auth0)
                        .verify(tokens.rs256(
                                c -> c.claim("roles", List.of("service")).claim("azp", "Xk2vQ8b1")))
                        .serviceIdentity())
                .contains("user-service");
        assertThat(verifier(auth0)
                        .verify(tokens.rs256(
                                c -> c.claim("roles", List.of("service")).claim("azp", "Zz9")))
                        .serviceIdentity())
                .as("a client without a name keeps its id")
                .contains("Zz9");
    }

    @Test
    void timeIsCheckedWithAtMostAMinuteOfSkew() {
        Instant now = Instant.now();
        assertRefused(tokens.rs256(c -> c.expirationTime(Date.from(now.minusSeconds(90)))), "expired");
        assertThat(verifier.verify(tokens.rs256(c -> c.expirationTime(Date.from(now.minusSeconds(30)))))
                        .subject())
                .as("expired 30 s ago: within the skew")
                .isEqualTo("user-1");
        assertRefused(tokens.rs256(c -> c.notBeforeTime(Date.from(now.plusSeconds(120)))), "not yet valid");
        assertRefused(tokens.rs256(c -> c.expirationTime(null)), "missing required claims");
    }

    @Test
    void issuerAudienceAndSubjectMustBeRight() {
        assertRefused(tokens.rs256(c -> c.issuer("https://evil.test")), "wrong issuer");
        assertRefused(tokens.rs256(c -> c.issuer(null)), "missing required claims");
        assertRefused(tokens.rs256(c -> c.audience("another-api")), "wrong audience");
        assertRefused(tokens.rs256(c -> c.audience((String) null)), "missing required claims");
        assertRefused(tokens.rs256(c -> c.subject(null)), "missing required claims");
    }

    @Test
    void noUnsignedTokenNoHmacNoForeignKeyNoTampering() throws Exception {
        assertRefused(new PlainJWT(Tokens.claims("admin").build()).serialize(), "algorithm or key not accepted");

        // HS256 keyed with the issuer's public key, which every client can read: the classic confusion attack
        SignedJWT hmac = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(),
                Tokens.claims("admin").build());
        hmac.sign(new MACSigner(tokens.rsa.toPublicKey().getEncoded()));
        assertRefused(hmac.serialize(), "algorithm or key not accepted");

        Tokens stranger = new Tokens();
        assertRefused(stranger.rs256(Tokens.claims("user-1").build()), "bad signature");
        JWSHeader unknownKid =
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-9").build();
        assertRefused(
                Tokens.sign(unknownKid, Tokens.claims("user-1").build(), stranger.rsa),
                "algorithm or key not accepted");

        String valid = tokens.rs256(Tokens.claims("user-1").build());
        JWSObject parts = JWSObject.parse(valid);
        String admin = Base64URL.encode(Tokens.claims("user-1")
                        .claim("roles", List.of("admin"))
                        .build()
                        .toString())
                .toString();
        assertRefused(parts.getHeader().toBase64URL() + "." + admin + "." + parts.getSignature(), "bad signature");

        assertRefused("not-a-token", "not a JWT");
        assertRefused("a".repeat(TokenVerifier.MAX_TOKEN_LENGTH + 1), "too long");
    }

    @Test
    void aVerifiedTokenIsRememberedUntilItExpires() {
        String token = tokens.rs256(Tokens.claims("user-1").build());
        verifier.verify(token);
        int lookups = keyLookups.get();
        for (int i = 0; i < 100; i++) {
            assertThat(verifier.verify(token).subject()).isEqualTo("user-1");
        }
        assertThat(keyLookups.get()).as("no key lookup, no signature check").isEqualTo(lookups);
    }

    @Test
    void keysThatCannotBeFetchedAreTheIssuersOutage() {
        JWKSource<SecurityContext> down = (selector, context) -> {
            throw new KeySourceException("connection refused");
        };
        TokenVerifier cut = TokenVerifier.create(Tokens.SETTINGS, down, Clock.systemUTC());
        assertThatThrownBy(() -> cut.verify(tokens.rs256(Tokens.claims("user-1").build())))
                .isInstanceOf(IssuerUnavailableException.class);
    }

    @Test
    void aRefusalNeverQuotesTheToken() {
        String token = tokens.rs256(c -> c.issuer("https://evil.test").subject("secret-subject"));
        assertThatThrownBy(() -> verifier.verify(token))
                .isInstanceOf(InvalidTokenException.class)
                .message()
                .doesNotContain("evil", "secret-subject", token.substring(0, 20));
    }

    private void assertRefused(String token, String reason) {
        assertThatThrownBy(() -> verifier.verify(token))
                .as(reason)
                .isInstanceOf(InvalidTokenException.class)
                .hasMessage(reason);
    }
}
