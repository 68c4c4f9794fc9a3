package dev.ems.core.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Keys and signed tokens for the auth tests: an RSA and an EC key of one issuer, and claims that pass by default. */
public final class Tokens {
    public static final String ISSUER = "https://issuer.test/realms/ems";
    public static final String AUDIENCE = "ems-api";
    public static final AuthSettings SETTINGS = new AuthSettings(
            ISSUER,
            AUDIENCE,
            URI.create("http://localhost:1/jwks"),
            "roles",
            URI.create("http://localhost:1/token"),
            Map.of());

    public final RSAKey rsa;
    public final ECKey ec;

    public Tokens() {
        try {
            this.rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
            this.ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public keys, as the issuer publishes them. */
    public JWKSet publicKeys() {
        return new JWKSet(List.<JWK>of(rsa.toPublicJWK(), ec.toPublicJWK()));
    }

    /** Claims that pass: iss, aud, sub, exp in 5 minutes, iat now, roles [user]. */
    public static JWTClaimsSet.Builder claims(String subject) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(subject)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .claim("roles", List.of("user"));
    }

    public String rs256(JWTClaimsSet claims) {
        return sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(rsa.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims,
                rsa);
    }

    public String es256(JWTClaimsSet claims) {
        return sign(
                new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(ec.getKeyID()).build(), claims, ec);
    }

    public String rs256(Consumer<JWTClaimsSet.Builder> change) {
        JWTClaimsSet.Builder claims = claims("user-1");
        change.accept(claims);
        return rs256(claims.build());
    }

    public static String sign(JWSHeader header, JWTClaimsSet claims, JWK key) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(key instanceof RSAKey r ? new RSASSASigner(r) : new ECDSASigner((ECKey) key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
