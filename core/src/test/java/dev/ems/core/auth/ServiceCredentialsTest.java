package dev.ems.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.helidon.webclient.api.WebClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client-credentials grant: asked as RFC 6749 says, kept until shortly before expiry, its failures told. */
class ServiceCredentialsTest {
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicReference<String> answer = new AtomicReference<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final MutableClock clock = new MutableClock();
    private HttpServer issuer;
    private WebClient http;

    @BeforeEach
    void start() throws IOException {
        issuer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        issuer.createContext("/token", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(exchange.getRequestMethod() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization") + " "
                    + exchange.getRequestHeaders().getFirst("Content-Type") + " " + body);
            byte[] out = (answer.get() != null
                            ? answer.get()
                            : "{\"access_token\":\"token-" + issued.incrementAndGet()
                                    + "\",\"token_type\":\"Bearer\",\"expires_in\":300}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), out.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(out);
            }
        });
        issuer.start();
        http = WebClient.builder()
                .baseUri("http://127.0.0.1:" + issuer.getAddress().getPort() + "/token")
                .connectTimeout(Duration.ofSeconds(1))
                .readTimeout(Duration.ofSeconds(1))
                .build();
    }

    @AfterEach
    void stop() {
        issuer.stop(0);
    }

    @Test
    void asksWithClientSecretBasicAndKeepsTheTokenUntilShortlyBeforeItExpires() {
        ServiceCredentials credentials =
                new ServiceCredentials(http, "order-service", "s3cret:with/odd&chars", "", "", clock);
        assertThat(credentials.authorization()).isEqualTo("Bearer token-1");
        String basic = Base64.getEncoder()
                .encodeToString("order-service:s3cret%3Awith%2Fodd%26chars".getBytes(StandardCharsets.UTF_8));
        assertThat(requests)
                .containsExactly(
                        "POST Basic " + basic + " application/x-www-form-urlencoded grant_type=client_credentials");

        clock.advance(Duration.ofSeconds(269));
        assertThat(credentials.authorization()).as("kept").isEqualTo("Bearer token-1");
        clock.advance(Duration.ofSeconds(2));
        assertThat(credentials.authorization())
                .as("30 s before expiry: renewed")
                .isEqualTo("Bearer token-2");

        credentials.forget();
        assertThat(credentials.authorization()).isEqualTo("Bearer token-3");
    }

    @Test
    void asksForTheScopeAndAudienceAnIssuerNeeds() {
        ServiceCredentials credentials =
                new ServiceCredentials(http, "order-service", "secret", "api://ems/.default", "https://ems", clock);

        assertThat(credentials.authorization()).isEqualTo("Bearer token-1");
        assertThat(requests.get(0))
                .endsWith(" grant_type=client_credentials&scope=api%3A%2F%2Fems%2F.default&audience=https%3A%2F%2Fems");
    }

    @Test
    void aTokenEndpointThatFailsIsADependencyFailure() {
        ServiceCredentials credentials = new ServiceCredentials(http, "order-service", "secret", "", "", clock);
        status.set(401);
        answer.set("{\"error\":\"invalid_client\"}");
        assertThatThrownBy(credentials::authorization)
                .isInstanceOf(ServiceCredentialsUnavailableException.class)
                .hasMessage("token endpoint answered 401");
        status.set(200);
        answer.set("{\"token_type\":\"Bearer\"}");
        assertThatThrownBy(credentials::authorization).isInstanceOf(ServiceCredentialsUnavailableException.class);
        answer.set("<html>");
        assertThatThrownBy(credentials::authorization)
                .isInstanceOf(ServiceCredentialsUnavailableException.class)
                .hasMessage("token endpoint answer is not JSON");

        issuer.stop(0);
        assertThatThrownBy(credentials::authorization)
                .isInstanceOf(ServiceCredentialsUnavailableException.class)
                .hasMessageStartingWith("token endpoint unreachable");
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
