package dev.ems.testing;

import com.nimbusds.jwt.SignedJWT;
import dev.ems.core.config.EnvironmentVariables;
import dev.ems.localissuer.LocalIssuer;
import java.text.ParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The token issuer of the tests: one {@link LocalIssuer} per test JVM (started on first use on a free port, its key in
 * memory, stopped at JVM exit), which every service under test trusts ({@link ServiceConfigs} points them at it). It
 * grants user-service and order-service their client credentials with the test secrets below, and mints tokens for
 * the tests' callers: by default an admin ({@link #ADMIN}), so that a test states only what differs about its caller.
 * <p>
 * A test that changes the issuer itself (rotates its key, takes its token endpoint down) starts a {@link LocalIssuer}
 * of its own and points its service at it ({@link #settings(LocalIssuer, String)}), so that no other test class sees
 * the change.
 */
public final class TestIssuer {
    /** The audience the services under test accept. */
    public static final String AUDIENCE = "ems-tests";
    /** The subject of the tests' default caller, an admin. */
    public static final String ADMIN = "test-admin";
    /** The client secrets of the services' own tokens (the local profile's are refused outside it). */
    private static final Map<String, String> CLIENTS = Map.of(
            "user-service", "test-user-service-client-secret",
            "order-service", "test-order-service-client-secret");

    private static LocalIssuer shared;

    private TestIssuer() {}

    /** The issuer of this JVM's tests. */
    public static synchronized LocalIssuer shared() {
        if (shared == null) {
            LocalIssuer started = start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-issuer-shutdown"));
            shared = started;
        }
        return shared;
    }

    /** A new issuer like the shared one (the same audience and clients), for a test that changes its issuer. */
    public static LocalIssuer start() {
        return LocalIssuer.start(0, AUDIENCE, CLIENTS);
    }

    /** A token of the shared issuer for the tests' default caller: subject {@link #ADMIN}, role admin. */
    public static String adminToken() {
        return adminToken(shared());
    }

    /** As {@link #adminToken()}, of {@code issuer} (a test's own, see {@link #start()}). */
    public static String adminToken(LocalIssuer issuer) {
        return issuer.token(ADMIN, "admin");
    }

    /**
     * A token of the shared issuer for {@code subject} with {@code roles}, as they appear in the roles claim ({@code
     * admin}, {@code auditor}, {@code user}, {@code service}, or one EMS does not know); none for a caller without a
     * role.
     */
    public static String token(String subject, String... roles) {
        return shared().token(subject, roles);
    }

    /**
     * A token of the shared issuer like the one its client-credentials grant gives the service {@code identity}: role
     * {@code service}, {@code sub} and {@code azp} both {@code identity} (the identity a service token carries).
     */
    public static String serviceToken(String identity) {
        return serviceToken(shared(), identity);
    }

    /** As {@link #serviceToken(String)}, of {@code issuer}. */
    public static String serviceToken(LocalIssuer issuer, String identity) {
        return issuer.token(
                claims -> claims.subject(identity).claim("azp", identity).claim("roles", List.of("service")));
    }

    /** The {@code kid} in the header of {@code token}: the issuer's key that signed it. */
    public static String keyId(String token) {
        try {
            return SignedJWT.parse(token).getHeader().getKeyID();
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a signed JWT", e);
        }
    }

    /** The {@code Authorization} header value that carries {@code token}. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }

    /** The settings that make {@code service} trust the shared issuer; see {@link #settings(LocalIssuer, String)}. */
    public static Map<String, String> settings(String service) {
        return settings(shared(), service);
    }

    /**
     * The settings that make {@code service} trust {@code issuer}: {@code ems.auth.*} (issuer, audience, JWKS and token
     * endpoint) and, for a service that calls others, its client secret ({@code <service>.auth.client.secret}).
     */
    public static Map<String, String> settings(LocalIssuer issuer, String service) {
        Map<String, String> settings = new HashMap<>();
        settings.put("ems.auth.issuer", issuer.issuer());
        settings.put("ems.auth.audience", issuer.audience());
        settings.put("ems.auth.jwks.uri", issuer.jwksUri().toString());
        settings.put("ems.auth.token.uri", issuer.tokenUri().toString());
        if (CLIENTS.containsKey(service)) {
            settings.put(service.replace('-', '.') + ".auth.client.secret", CLIENTS.get(service));
        }
        return settings;
    }

    /**
     * The same as environment variables ({@code EMS_AUTH_ISSUER}..., {@code <SERVICE>_AUTH_CLIENT_SECRET}), for a
     * service started as a process of its own.
     */
    public static Map<String, String> environment(String service) {
        Map<String, String> environment = new HashMap<>();
        settings(service).forEach((key, value) -> environment.put(EnvironmentVariables.forKey(key), value));
        return environment;
    }
}
