package dev.ems.audit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

/**
 * Prints a new checkpoint signing key, an ECDSA P-256 private JWK whose {@code kid} is its thumbprint, for
 * AUDIT_LOG_SERVICE_SIGNING_KEY: {@code make signing-key}, or {@code java -cp /app/service.jar
 * dev.ems.audit.NewSigningKey} in the service's image.
 */
public final class NewSigningKey {
    private NewSigningKey() {}

    public static void main(String[] args) throws JOSEException {
        System.out.println(new ECKeyGenerator(Curve.P_256)
                .keyIDFromThumbprint(true)
                .generate()
                .toJSONString());
    }
}
