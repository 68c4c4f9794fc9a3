package dev.ems.core.auth;

import dev.ems.core.config.Durations;
import dev.ems.core.config.Secrets;
import dev.ems.core.http.OutboundHttp;
import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A service's own bearer token, for its calls to other EMS services: the OAuth 2.0 client-credentials grant at the
 * issuer's token endpoint ({@code EMS_AUTH_TOKEN_URI}) with {@code <SERVICE>_AUTH_CLIENT_ID} and the secret {@code
 * <SERVICE>_AUTH_CLIENT_SECRET} (client_secret_basic). The token is kept until shortly before it expires and renewed by
 * the first call after that; one renewal at a time, and reading it takes no lock. When the token endpoint fails,
 * {@link #authorization()} throws {@link ServiceCredentialsUnavailableException}, which callers treat as their
 * dependency failing.
 */
public final class ServiceCredentials implements AutoCloseable {
    /** Renewed this long before expiry (or at half its life, for a short-lived token). */
    private static final Duration RENEW_BEFORE = Duration.ofSeconds(30);

    private final WebClient http;
    private final String basic;
    private final String request;
    private final Clock clock;
    private final ReentrantLock renewal = new ReentrantLock();
    private volatile Token current;

    /**
     * @param scope the {@code scope} to ask for, empty for none (Entra ID requires {@code api://<app>/.default})
     * @param audience the {@code audience} to ask for, empty for none (Auth0 without a tenant default audience)
     */
    ServiceCredentials(
            WebClient http, String clientId, String clientSecret, String scope, String audience, Clock clock) {
        this.http = http;
        this.request = "grant_type=client_credentials"
                + (scope.isBlank() ? "" : "&scope=" + form(scope))
                + (audience.isBlank() ? "" : "&audience=" + form(audience));
        this.basic = "Basic "
                + Base64.getEncoder()
                        .encodeToString((form(clientId) + ":" + form(clientSecret)).getBytes(StandardCharsets.UTF_8));
        this.clock = clock;
    }

    /**
     * From {@code settings} (the issuer) and the service's {@code <service>.auth.client} node ({@code id},
     * {@code secret}, {@code timeout}, {@code scope}, {@code audience}); built once at start.
     */
    public static ServiceCredentials create(AuthSettings settings, Config client) {
        String id = client.get("id").asString().get();
        String secret = Secrets.require(client.get("secret"), 16);
        Duration timeout = Durations.of(client.get("timeout"));
        WebClient http = OutboundHttp.builder()
                .baseUri(settings.tokenUri())
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .build();
        return new ServiceCredentials(
                http,
                id,
                secret,
                client.get("scope").asString().get(),
                client.get("audience").asString().get(),
                Clock.systemUTC());
    }

    /**
     * The {@code Authorization} header value for the next call: {@code Bearer <token>}. Every call reads the kept token
     * without a lock; a renewal takes one (a ReentrantLock: a virtual thread waiting on the token endpoint does not pin
     * its carrier), and the calls that wait for it take the token it fetched.
     */
    public String authorization() {
        Token token = current;
        if (token == null || !clock.instant().isBefore(token.renewAt())) {
            renewal.lock();
            try {
                token = current;
                Instant now = clock.instant();
                if (token == null || !now.isBefore(token.renewAt())) {
                    token = fetch(now);
                    current = token;
                }
            } finally {
                renewal.unlock();
            }
        }
        return "Bearer " + token.value();
    }

    /** Forgets the token, so the next call fetches a new one (after a 401: the issuer may have revoked it). */
    public void forget() {
        current = null;
    }

    private Token fetch(Instant now) {
        try (HttpClientResponse res = http.post()
                .header(HeaderNames.AUTHORIZATION, basic)
                .header(HeaderNames.CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(HeaderValues.ACCEPT_JSON)
                .submit(request)) {
            if (res.status().code() != Status.OK_200.code()) {
                throw new ServiceCredentialsUnavailableException(
                        "token endpoint answered " + res.status().code());
            }
            JsonObject body =
                    Json.createReader(new StringReader(res.as(String.class))).readObject();
            if (!(body.get("access_token") instanceof JsonString token)
                    || !(body.get("expires_in") instanceof JsonNumber expiresIn)
                    || expiresIn.longValue() <= 0) {
                throw new ServiceCredentialsUnavailableException(
                        "token endpoint answer without access_token/expires_in");
            }
            Duration life = Duration.ofSeconds(expiresIn.longValue());
            Duration early = life.dividedBy(2).compareTo(RENEW_BEFORE) < 0 ? life.dividedBy(2) : RENEW_BEFORE;
            return new Token(token.getString(), now.plus(life).minus(early));
        } catch (ServiceCredentialsUnavailableException e) {
            throw e;
        } catch (JsonException | ClassCastException e) {
            throw new ServiceCredentialsUnavailableException("token endpoint answer is not JSON");
        } catch (RuntimeException e) {
            // unreachable, refused, timed out: the issuer's outage
            throw new ServiceCredentialsUnavailableException(
                    "token endpoint unreachable: " + e.getClass().getSimpleName());
        }
    }

    /** RFC 6749 2.3.1: the client id and secret are form-encoded before they go into Basic. */
    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        http.closeResource();
    }

    private record Token(String value, Instant renewAt) {}
}
