package dev.ems.audit;

import dev.ems.audit.AuditRepository.ChainLink;
import dev.ems.core.audit.AuditEvent;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The integrity of the trail: {@code hash = HMAC-SHA256(key, prev_hash | seq | id | recorded_at | canonical event)}.
 * Each entry's hash covers the previous one, so changing or removing any entry breaks every link after it. With a
 * keyed hash, rewriting the chain takes the key too, not just write access to the database. Each entry records the id
 * of the key that hashed it ({@link IntegrityKeys}), so keys can rotate: the current key hashes, all verify.
 * <p>
 * The canonical form of an event is JSON with sorted keys, nulls kept, and numbers in one spelling, so the hash
 * can be recomputed from what PostgreSQL gives back (jsonb reorders keys and respells numbers).
 */
public final class HashChain {
    public static final String GENESIS = "0".repeat(64);
    /** What a seal is of: the head of the chain, or a retention checkpoint (where the chain starts after a purge). */
    static final String HEAD = "head";

    static final String CHECKPOINT = "checkpoint";

    private static final JsonGeneratorFactory JSON = Json.createGeneratorFactory(Map.of());

    private final IntegrityKeys keys;

    public HashChain(IntegrityKeys keys) {
        this.keys = keys;
    }

    /** The id of the key that {@link #hash} and {@link #seal} use now. */
    public String keyId() {
        return keys.current().id();
    }

    public String hash(String prevHash, long seq, UUID id, Instant recordedAt, AuditEvent event) {
        return hash(keys.current(), prevHash, seq, id, recordedAt, event);
    }

    private static String hash(
            IntegrityKeys.Key key, String prevHash, long seq, UUID id, Instant recordedAt, AuditEvent event) {
        return key.mac(prevHash + "|" + seq + "|" + id + "|" + recordedAt + "|" + canonical(event));
    }

    /**
     * An end of the chain ({@code "head"}, {@code "checkpoint"}) at {@code seq}, sealed with a MAC of where it is, so
     * that moving it (the head back over deleted entries, a checkpoint over purged ones) takes the key.
     */
    public ChainLink seal(String end, long seq, String hash) {
        return new ChainLink(seq, hash, keys.current().mac(sealed(end, seq, hash)), keyId());
    }

    private static String sealed(String end, long seq, String hash) {
        return end + "|" + seq + "|" + hash;
    }

    /** True when {@code link} carries the seal of {@code end} at its position, under the key it names. */
    public boolean sealed(String end, ChainLink link) {
        return link.seal() != null
                && keysFor(link.keyId())
                        .anyMatch(key -> equal(link.seal(), key.mac(sealed(end, link.seq(), link.hash()))));
    }

    /** True when {@code entry} is exactly what its hash says, given the hash before it. */
    public boolean holds(AuditEntry entry, String expectedPrevHash) {
        return entry.prevHash().equals(expectedPrevHash)
                && keysFor(entry.keyId())
                        .anyMatch(key -> equal(
                                entry.hash(),
                                hash(
                                        key,
                                        expectedPrevHash,
                                        entry.seq(),
                                        entry.id(),
                                        entry.recordedAt(),
                                        entry.event())));
    }

    /** The key a stored id names (none if it is not configured); every key for what was stored before ids were. */
    private Stream<IntegrityKeys.Key> keysFor(String keyId) {
        return keyId == null ? keys.all().stream() : keys.byId(keyId).stream();
    }

    private static boolean equal(String stored, String computed) {
        return MessageDigest.isEqual(
                stored.getBytes(StandardCharsets.US_ASCII), computed.getBytes(StandardCharsets.US_ASCII));
    }

    static String canonical(AuditEvent e) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            write(g, "action", e.action());
            write(g, "actor", e.actor());
            write(g, "client_address", e.clientAddress());
            g.writeKey("details");
            value(g, e.details() == null ? JsonValue.EMPTY_JSON_OBJECT : e.details());
            write(g, "entity_id", e.entityId());
            write(g, "entity_type", e.entityType());
            write(g, "event_id", e.eventId().toString());
            write(g, "occurred_at", e.occurredAt().toString());
            write(g, "request_id", e.requestId());
            write(g, "service", e.service());
            if (e.traceId() != null) {
                // only when present: entries recorded before trace ids keep the hash they were given
                write(g, "trace_id", e.traceId());
            }
            write(g, "user_agent", e.userAgent());
            g.writeEnd();
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, String name, String value) {
        if (value == null) {
            g.writeNull(name);
        } else {
            g.write(name, value);
        }
    }

    private static void value(JsonGenerator g, JsonValue value) {
        switch (value.getValueType()) {
            case OBJECT -> {
                g.writeStartObject();
                Map<String, JsonValue> sorted = new TreeMap<>(value.asJsonObject());
                sorted.forEach((k, v) -> {
                    g.writeKey(k);
                    value(g, v);
                });
                g.writeEnd();
            }
            case ARRAY -> {
                g.writeStartArray();
                ((JsonArray) value).forEach(v -> value(g, v));
                g.writeEnd();
            }
            case STRING -> g.write(((JsonString) value).getString());
            case NUMBER -> {
                BigDecimal number = ((JsonNumber) value).bigDecimalValue();
                g.write(number.signum() == 0 ? BigDecimal.ZERO : number.stripTrailingZeros());
            }
            case TRUE -> g.write(true);
            case FALSE -> g.write(false);
            case NULL -> g.writeNull();
        }
    }
}
