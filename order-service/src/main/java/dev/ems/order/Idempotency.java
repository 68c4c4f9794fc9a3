package dev.ems.order;

import dev.ems.core.http.ApiException;
import dev.ems.core.http.Json;
import io.helidon.dbclient.DbTransaction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Idempotent creation with an {@code Idempotency-Key}: the key is claimed in the order's own transaction, so of
 * concurrent requests with one key exactly one creates; a retry with the same request (compared by a hash of the
 * priced order) gets the stored answer again; the same key with another request is 422 IDEMPOTENCY_KEY_REUSED. A key
 * belongs to the caller that sent it (its token's subject): another caller's same key is another key. Keys are
 * forgotten after their time to live.
 */
final class Idempotency {
    static final int MAX_KEY_LENGTH = 255;
    private final OrderRepository repository;
    private final Duration ttl;

    Idempotency(OrderRepository repository, Duration ttl) {
        this.repository = repository;
        this.ttl = ttl;
    }

    /** The key as sent: 1 to 255 visible ASCII characters, else 400 INVALID_PARAMETER. */
    static String checkedKey(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw ApiException.invalidParameter(
                    "Idempotency-Key", "must be 1 to " + MAX_KEY_LENGTH + " visible ASCII characters");
        }
        return key;
    }

    /** What identifies a request under a key: the SHA-256 of the priced order (key order and spacing do not matter). */
    static String fingerprint(PricedOrder order) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Json.write(order).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The order an earlier request with {@code key} created, if the key is known; 422 if it came with another request. */
    Optional<Order> replay(String owner, String key, String fingerprint) {
        return repository.findKey(owner, key).map(stored -> {
            if (!stored.requestHash().equals(fingerprint)) {
                throw new ApiException(
                        OrderErrorCode.IDEMPOTENCY_KEY_REUSED,
                        "this Idempotency-Key was used with a different request");
            }
            return Json.read(stored.responseBody(), Order.class);
        });
    }

    /** Claims the key in {@code tx}; false when a concurrent request claimed it first (and committed). */
    boolean claim(DbTransaction tx, String owner, String key, String fingerprint) {
        return repository.claimKey(tx, owner, key, fingerprint, ttl);
    }

    /** Stores the answer under the claimed key, in the transaction that created {@code order}. */
    void complete(DbTransaction tx, String owner, String key, Order order) {
        repository.completeKey(tx, owner, key, order.id(), Json.write(order));
    }

    long purgeExpired() {
        return repository.purgeExpiredKeys();
    }
}
