package dev.ems.localissuer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A small OAuth 2.0 token issuer on {@code http://localhost:<port>}, for the local profile and the tests; nothing to
 * install. It publishes its keys ({@code GET /jwks}), grants the services' client credentials ({@code POST /token},
 * client_secret_basic; the token has the role {@code service} and {@code azp} = the client id) and mints tokens of any
 * role for a developer or a test ({@link #token}, and {@code GET /dev/token?role=..&sub=..} for scripts/token). Its
 * issuer is its base URL; tokens are RS256 for the audience given.
 * <p>
 * Not an identity provider: anyone who reaches it gets any token. The services accept its issuer only in the local
 * profile.
 */
public final class LocalIssuer implements AutoCloseable {
    private static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

    private final String audience;
    private final Map<String, String> clients;
    private final List<RSAKey> keys = new CopyOnWriteArrayList<>();
    private final AtomicBoolean tokenEndpointUp = new AtomicBoolean(true);
    private final WebServer server;

    private LocalIssuer(int port, String audience, RSAKey key, Map<String, String> clients) {
        this.audience = audience;
        this.clients = Map.copyOf(clients);
        this.keys.add(key);
        this.server = WebServer.builder()
                .host("127.0.0.1")
                .port(port)
                .shutdownHook(false)
                .routing(routing -> routing.get("/jwks", this::jwks)
                        .post("/token", this::clientCredentials)
                        .get("/dev/token", this::devToken))
                .build()
                .start();
    }

    /**
     * Starts an issuer on {@code port} (0: any free port) signing with a new key held in memory.
     *
     * @param clients the service clients it knows: client id -> secret
     */
    public static LocalIssuer start(int port, String audience, Map<String, String> clients) {
        return new LocalIssuer(port, audience, newKey(), clients);
    }

    /**
     * As {@link #start(int, String, Map)}, signing with the key kept in {@code keyFile} (made on first start, readable
     * by its owner only), so that tokens stay valid across restarts.
     */
    public static LocalIssuer start(int port, String audience, Map<String, String> clients, Path keyFile) {
        return new LocalIssuer(port, audience, storedKey(keyFile), clients);
    }

    public String issuer() {
        return "http://localhost:" + server.port();
    }

    public String audience() {
        return audience;
    }

    public URI jwksUri() {
        return URI.create(issuer() + "/jwks");
    }

    public URI tokenUri() {
        return URI.create(issuer() + "/token");
    }

    public int port() {
        return server.port();
    }

    /** A signed token for {@code subject} with {@code roles}, valid for an hour. */
    public String token(String subject, String... roles) {
        return token(claims -> claims.subject(subject).claim("roles", List.of(roles)));
    }

    /**
     * A signed token whose claims start as a valid one's (iss, aud, sub, iat, exp in an hour, a jti, no roles) and
     * are then changed by {@code change}: an expired token, another audience, a service's azp...
     */
    public String token(Consumer<JWTClaimsSet.Builder> change) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer())
                .audience(audience)
                .subject("anonymous")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(DEFAULT_LIFETIME)))
                .jwtID(UUID.randomUUID().toString())
                .claim("roles", List.of());
        change.accept(claims);
        return sign(keys.get(keys.size() - 1), claims.build());
    }

    /**
     * Rotates the signing key: a new key (a new {@code kid}) signs from now on and joins the JWKS; the old one stays
     * published, as an issuer does while its tokens live.
     */
    public void rotateKey() {
        keys.add(newKey());
    }

    /** Makes {@code POST /token} answer 503 ({@code false}) or work again ({@code true}): the issuer's outage. */
    public void tokenEndpointUp(boolean up) {
        tokenEndpointUp.set(up);
    }

    @Override
    public void close() {
        server.stop();
    }

    private void jwks(ServerRequest req, ServerResponse res) {
        List<JWK> published = new ArrayList<>();
        keys.forEach(key -> published.add(key.toPublicJWK()));
        res.header(HeaderValues.CONTENT_TYPE_JSON).send(new JWKSet(published).toString());
    }

    private void clientCredentials(ServerRequest req, ServerResponse res) {
        Map<String, String> form = form(req.content().as(String.class));
        if (!tokenEndpointUp.get()) {
            res.status(Status.SERVICE_UNAVAILABLE_503).send();
            return;
        }
        if (!"client_credentials".equals(form.get("grant_type"))) {
            oauthError(res, Status.BAD_REQUEST_400, "unsupported_grant_type");
            return;
        }
        Optional<String> client = authenticatedClient(req);
        if (client.isEmpty()) {
            oauthError(res, Status.UNAUTHORIZED_401, "invalid_client");
            return;
        }
        String token = token(claims ->
                claims.subject(client.get()).claim("azp", client.get()).claim("roles", List.of("service")));
        res.header(HeaderValues.CONTENT_TYPE_JSON)
                .header(HeaderNames.CACHE_CONTROL, "no-store")
                .send("{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                        + DEFAULT_LIFETIME.toSeconds() + "}");
    }

    /** {@code GET /dev/token?role=admin&sub=alice}: a token for a developer's curl (local only, like all of this). */
    private void devToken(ServerRequest req, ServerResponse res) {
        String role = req.query().first("role").orElse("");
        if (!List.of("admin", "auditor", "user", "service").contains(role)) {
            oauthError(res, Status.BAD_REQUEST_400, "role must be admin, auditor, user or service");
            return;
        }
        String subject = req.query().first("sub").orElse(role + "-dev");
        res.header(HeaderValues.CONTENT_TYPE_TEXT_PLAIN).send(token(subject, role));
    }

    /** The client of an {@code Authorization: Basic} header whose secret matches (RFC 6749 2.3.1: form-encoded). */
    private Optional<String> authenticatedClient(ServerRequest req) {
        Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION).filter(h -> h.startsWith("Basic "));
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(
                    Base64.getDecoder().decode(header.get().substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String id = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
        String secret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
        String expected = clients.get(id);
        boolean matches = expected != null
                && MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8));
        return matches ? Optional.of(id) : Optional.empty();
    }

    private static void oauthError(ServerResponse res, Status status, String error) {
        res.status(status).header(HeaderValues.CONTENT_TYPE_JSON).send("{\"error\":\"" + error + "\"}");
    }

    private static Map<String, String> form(String body) {
        Map<String, String> values = new HashMap<>();
        for (String pair : body.split("&", -1)) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(key.getKeyID())
                            .type(JOSEObjectType.JWT)
                            .build(),
                    claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    private static RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a key", e);
        }
    }

    private static RSAKey storedKey(Path keyFile) {
        try {
            if (Files.exists(keyFile)) {
                return RSAKey.parse(Files.readString(keyFile));
            }
            RSAKey key = newKey();
            Files.createDirectories(keyFile.toAbsolutePath().getParent());
            Path written =
                    Files.writeString(keyFile.resolveSibling(keyFile.getFileName() + ".new"), key.toJSONString());
            Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-------"));
            Files.move(written, keyFile);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the local issuer's key in " + keyFile, e);
        } catch (ParseException e) {
            throw new IllegalStateException(keyFile + " does not hold a key; delete it to make a new one", e);
        }
    }
}
