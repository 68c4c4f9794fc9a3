package dev.ems.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The pseudonyms the services must write under the tests' key ({@link ServiceConfigs#PSEUDONYMISATION_KEY}), computed
 * here with javax.crypto as the README documents them, independently of the product's code: {@code
 * hmac-sha256:<key id>:<hex>}, the HMAC-SHA256 of the value's UTF-8 bytes, the key id the first 16 hex digits of the
 * HMAC-SHA256 of {@code ems-audit-pseudonymisation-key-id}.
 */
public final class Pseudonyms {
    private Pseudonyms() {}

    /** The pseudonym of {@code value} (as normalised for its field) under the tests' key. */
    public static String of(String value) {
        return "hmac-sha256:" + keyId() + ":" + hmac(value);
    }

    /** The tests' key's id. */
    public static String keyId() {
        return hmac("ems-audit-pseudonymisation-key-id").substring(0, 16);
    }

    private static String hmac(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(
                    ServiceConfigs.PSEUDONYMISATION_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The audit events {@code database}'s outbox holds for {@code entityId}, oldest first, as JSON text. */
    public static List<String> outboxEvents(String database, String entityId) {
        return TestPostgres.column(
                database,
                "SELECT CAST(payload AS text) FROM audit_outbox WHERE payload->>'entity_id' = '" + entityId
                        + "' ORDER BY id");
    }
}
