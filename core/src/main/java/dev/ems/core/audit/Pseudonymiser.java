package dev.ems.core.audit;

import dev.ems.core.config.Secrets;
import io.helidon.config.Config;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed hashes of personal data for the audit trail: {@code hmac-sha256:<key id>:<hex>}, the HMAC-SHA256 of the
 * value's UTF-8 bytes under the deployment's pseudonymisation key ({@code ems.audit.pseudonymisation.key}, {@code
 * EMS_AUDIT_PSEUDONYMISATION_KEY}, shared by the services that write audit events). Whoever holds a value and the key
 * can confirm it ({@code printf '%s' VALUE | openssl dgst -sha256 -hmac "$KEY"}); the trail alone reveals nothing,
 * and a value cannot be recovered even with the key except by guessing it.
 * <p>
 * The key id is derived from the key, as the audit integrity keys' are: the first 16 hex digits of its HMAC-SHA256
 * over a fixed label ({@code ems-audit-pseudonymisation-key-id}). After a rotation it tells which key a pseudonym was
 * made with, without naming keys in configuration, and reveals nothing of the key. {@code ems.audit.pseudonymisation.client} (default true)
 * says whether the caller's client address and user agent are pseudonymised too.
 */
public final class Pseudonymiser {
    /** The shortest key accepted outside the local profile: the 256 bits of HMAC-SHA256's output. */
    public static final int MIN_KEY_BYTES = 32;

    private static final String SCHEME = "hmac-sha256";
    private static final String ALGORITHM = "HmacSHA256";
    private static final String ID_LABEL = "ems-audit-pseudonymisation-key-id";

    private final SecretKeySpec key;
    private final String keyId;
    private final boolean client;

    Pseudonymiser(String key, boolean client) {
        this.key = new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        this.keyId = hmac(ID_LABEL).substring(0, 16);
        this.client = client;
    }

    /**
     * From {@code ems.audit.pseudonymisation}: {@code key}, a secret of at least {@link #MIN_KEY_BYTES} (see {@link
     * Secrets}; no default outside the local profile), and {@code client}. A service reads it before anything else
     * starts, so without a safe key it does not start at all.
     */
    public static Pseudonymiser from(Config config) {
        Config settings = config.get("ems.audit.pseudonymisation");
        return new Pseudonymiser(
                Secrets.require(settings.get("key"), MIN_KEY_BYTES),
                settings.get("client").asBoolean().get());
    }

    /** {@code hmac-sha256:<key id>:<hex>} of {@code value} (already normalised by its field's rule). */
    public String pseudonym(String value) {
        return SCHEME + ":" + keyId + ":" + hmac(value);
    }

    /** The caller's client address or user agent as the trail records it: its pseudonym unless configured otherwise. */
    String client(String value) {
        return value == null || !client ? value : pseudonym(value);
    }

    private String hmac(String value) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available", e);
        }
    }
}
