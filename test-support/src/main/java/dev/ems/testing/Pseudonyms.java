package dev.ems.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The pseudonyms the services must write under the tests' key ({@link ServiceConfigs#PSEUDONYMISATION_KEY}), computed
 * here with javax.crypto as the README documents them, independently of the product's code: {@code
 * hmac-sha256:<key id>:<hex>}, the HMAC-SHA256 of the value's UTF-8 bytes, the key id the first 8 hex digits of the
 * key's SHA-256.
 */
public final class Pseudonyms {
    private static final HexFormat HEX = HexFormat.of();

    private Pseudonyms() {}

    /** The pseudonym of {@code value} (as normalised for its field) under the tests' key. */
    public static String of(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(
                    ServiceConfigs.PSEUDONYMISATION_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "hmac-sha256:" + keyId() + ":" + HEX.formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The tests' key's id: the first 8 hex digits of its SHA-256. */
    public static String keyId() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(ServiceConfigs.PSEUDONYMISATION_KEY.getBytes(StandardCharsets.UTF_8));
            return HEX.formatHex(digest).substring(0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
