package dev.ems.audit;

import dev.ems.core.config.Secrets;
import io.helidon.config.Config;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC keys of the hash chain: the current key hashes and seals what is written now; earlier keys, kept after a
 * rotation, still verify what they made. A key's id is derived from the key itself (the first 16 hex digits of its MAC
 * over a fixed label), so no configured id can name the wrong key, and the id, stored beside what it sealed, reveals
 * nothing of the key.
 */
final class IntegrityKeys {
    /** The shortest key accepted outside the local profile: the 256 bits of HMAC-SHA256's output. */
    static final int MIN_KEY_BYTES = 32;

    private static final String ID_LABEL = "ems-audit-integrity-key-id";

    /** A key and its id. */
    record Key(String id, SecretKeySpec secret) {
        String mac(String input) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(secret);
                return HexFormat.of().formatHex(mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
        }
    }

    private final Key current;
    private final Map<String, Key> byId = new LinkedHashMap<>();

    private IntegrityKeys(String current, List<String> previous) {
        this.current = key(current);
        byId.put(this.current.id(), this.current);
        previous.stream().map(IntegrityKeys::key).forEach(key -> byId.putIfAbsent(key.id(), key));
    }

    /** The current key and the earlier ones, newest first. */
    static IntegrityKeys of(String current, List<String> previous) {
        return new IntegrityKeys(current, previous);
    }

    /**
     * From {@code integrity.key} (the current key) and {@code integrity.previous.keys} (earlier keys, separated by
     * commas or lines), each also from a file ({@code ..._FILE}): secrets of at least {@link #MIN_KEY_BYTES}.
     */
    static IntegrityKeys from(Config integrity) {
        return new IntegrityKeys(
                Secrets.require(integrity.get("key"), MIN_KEY_BYTES),
                Secrets.list(integrity.get("previous.keys"), MIN_KEY_BYTES));
    }

    Key current() {
        return current;
    }

    Optional<Key> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Every key, the current one first: for what was sealed before key ids were recorded. */
    Collection<Key> all() {
        return new ArrayList<>(byId.values());
    }

    private static Key key(String secret) {
        SecretKeySpec spec = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        return new Key(new Key(null, spec).mac(ID_LABEL).substring(0, 16), spec);
    }
}
