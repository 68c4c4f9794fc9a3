package dev.ems.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.ems.localissuer.LocalIssuer;
import java.io.IOException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Bearer tokens that prove nothing, one of each kind every service must refuse (401, {@code error="invalid_token"}).
 * Apart from what makes it bad, each is a token of the tests' default caller, an admin of {@code issuer}, so that a
 * service which let it through would let it do anything. Core's {@code TokenVerifierTest} shows why each is refused;
 * a service's test sending them shows that its API is behind that verifier, with its issuer's settings.
 */
public final class BadTokens {
    private BadTokens() {}

    /** Kind (for messages) -> token, for the service that trusts {@code issuer}. */
    public static Map<String, String> of(LocalIssuer issuer) {
        Instant now = Instant.now();
        Duration beyondSkew = Duration.ofMinutes(5);
        SignedJWT valid = parse(admin(issuer, claims -> {}));
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("expired", admin(issuer, c -> c.expirationTime(Date.from(now.minus(beyondSkew)))));
        tokens.put("not yet valid", admin(issuer, c -> c.notBeforeTime(Date.from(now.plus(beyondSkew)))));
        tokens.put("another issuer", admin(issuer, c -> c.issuer("https://issuer.invalid")));
        tokens.put("another audience", admin(issuer, c -> c.audience("another-api")));
        tokens.put("signed by a key the issuer does not publish (unknown kid)", strangerSigned(valid));
        tokens.put("alg none", new PlainJWT(claims(valid)).serialize());
        tokens.put("HS256 keyed with the issuer's public key", hmacWithPublicKey(issuer, valid));
        tokens.put("a tampered payload", tampered(issuer, valid));
        tokens.put("not a JWT", "not-a-jwt");
        return tokens;
    }

    /** A valid token of the default caller, changed by {@code change}. */
    private static String admin(LocalIssuer issuer, Consumer<JWTClaimsSet.Builder> change) {
        return issuer.token(claims -> {
            claims.subject(TestIssuer.ADMIN).claim("roles", List.of("admin"));
            change.accept(claims);
        });
    }

    private static String strangerSigned(SignedJWT valid) {
        try {
            RSAKey stranger = new RSAKeyGenerator(2048)
                    .keyID("unknown-" + UUID.randomUUID())
                    .generate();
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(stranger.getKeyID())
                            .build(),
                    claims(valid));
            jwt.sign(new RSASSASigner(stranger));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key-confusion attack: HMAC keyed with the issuer's public key, which anyone can read from its JWKS. */
    private static String hmacWithPublicKey(LocalIssuer issuer, SignedJWT valid) {
        try {
            String kid = valid.getHeader().getKeyID();
            RSAKey published =
                    JWKSet.load(issuer.jwksUri().toURL()).getKeyByKeyId(kid).toRSAKey();
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(), claims(valid));
            jwt.sign(new MACSigner(published.toPublicKey().getEncoded()));
            return jwt.serialize();
        } catch (IOException | ParseException | JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A user's valid token whose payload is swapped for the admin's, its signature kept. */
    private static String tampered(LocalIssuer issuer, SignedJWT admin) {
        try {
            JWSObject user = JWSObject.parse(issuer.token("someone-else", "user"));
            return user.getHeader().toBase64URL() + "."
                    + Base64URL.encode(claims(admin).toString()) + "." + user.getSignature();
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SignedJWT parse(String token) {
        try {
            return SignedJWT.parse(token);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWTClaimsSet claims(SignedJWT jwt) {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
