package dev.ems.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The issuer's JWKS over HTTP: fetched once, refetched for a new key (rotation), never hammered, its outage told. */
class RemoteKeysTest {
    private static final Duration MIN_REFETCH = Duration.ofSeconds(1);

    private final List<JWK> published = new CopyOnWriteArrayList<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private HttpServer issuer;

    @AfterEach
    void stop() {
        if (issuer != null) {
            issuer.stop(0);
        }
    }

    @Test
    void aKeyAddedByTheIssuerIsFoundWithoutARestartAndUnknownKeysCannotMakeItHammered() throws Exception {
        RSAKey first = key("rsa-1");
        RSAKey rotated = key("rsa-2");
        published.add(first.toPublicJWK());
        TokenVerifier verifier = verifier(startIssuer());

        assertThat(verifier.verify(token(first, "user-1")).subject()).isEqualTo("user-1");
        assertThat(fetches.get()).isEqualTo(1);
        assertThat(verifier.verify(token(first, "user-2")).subject()).isEqualTo("user-2");
        assertThat(fetches.get()).as("cached").isEqualTo(1);

        published.add(rotated.toPublicJWK());
        Thread.sleep(MIN_REFETCH.toMillis() + 100);
        long rotation = System.nanoTime();
        assertThat(verifier.verify(token(rotated, "user-3")).subject()).isEqualTo("user-3");
        int afterRotation = fetches.get();
        assertThat(afterRotation).isEqualTo(2);

        // 200 tokens under made-up key ids, at once: refused, and the issuer asked at most twice per interval (the
        // rotation's fetch opened the first; a slow machine may let the flood reach into the next)
        RSAKey stranger = key("x");
        List<String> forged = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            forged.add(Tokens.sign(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID("made-up-" + i)
                            .build(),
                    Tokens.claims("user-1").build(),
                    stranger));
        }
        for (String token : forged) {
            assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(InvalidTokenException.class);
        }
        long intervals = Duration.ofNanos(System.nanoTime() - rotation).toMillis() / MIN_REFETCH.toMillis() + 1;
        assertThat(fetches.get() - afterRotation + 1)
                .as("fetches since the rotation's, over " + intervals + " interval(s)")
                .isLessThanOrEqualTo((int) (2 * intervals));
    }

    @Test
    void anIssuerThatCannotBeReachedIsAnOutageNotABadToken() throws Exception {
        RSAKey first = key("rsa-1");
        URI nowhere;
        try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nowhere = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/jwks");
        }
        TokenVerifier verifier = verifier(nowhere);
        assertThatThrownBy(() -> verifier.verify(token(first, "user-1")))
                .isInstanceOf(IssuerUnavailableException.class);
    }

    private TokenVerifier verifier(URI jwks) {
        AuthSettings settings =
                new AuthSettings(Tokens.ISSUER, Tokens.AUDIENCE, jwks, "roles", Tokens.SETTINGS.tokenUri(), Map.of());
        return TokenVerifier.create(settings, TokenVerifier.remoteKeys(settings, MIN_REFETCH), Clock.systemUTC());
    }

    private URI startIssuer() throws IOException {
        issuer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        issuer.createContext("/jwks", exchange -> {
            fetches.incrementAndGet();
            byte[] body = new JWKSet(List.copyOf(published)).toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        issuer.start();
        return URI.create("http://127.0.0.1:" + issuer.getAddress().getPort() + "/jwks");
    }

    private static RSAKey key(String kid) throws Exception {
        return new RSAKeyGenerator(2048).keyID(kid).generate();
    }

    private static String token(RSAKey key, String subject) {
        return Tokens.sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                Tokens.claims(subject).build(),
                key);
    }
}
