package dev.ems.audit;

import dev.ems.core.audit.AuditEvent;
import dev.ems.core.http.Json;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;

/** Audit entries, the chain head and the retention checkpoints, through the named statements of application.yaml. */
public final class AuditRepository {
    private final DbClient db;

    public AuditRepository(DbClient db) {
        this.db = db;
    }

    /** Locks the end of the chain for this transaction: appends queue up here, one at a time. */
    public ChainLink lockHead(DbExecute tx) {
        return tx.namedGet("lock-chain-head").map(AuditRepository::link).orElseThrow();
    }

    public ChainLink head() {
        return db.execute()
                .namedGet("read-chain-head")
                .map(AuditRepository::link)
                .orElseThrow();
    }

    public void moveHead(DbExecute tx, ChainLink head) {
        tx.createNamedUpdate("move-chain-head")
                .addParam("seq", head.seq())
                .addParam("hash", head.hash())
                .addParam("seal", head.seal())
                .addParam("key_id", head.keyId())
                .execute();
    }

    public void insert(
            DbExecute tx,
            long seq,
            UUID id,
            Instant recordedAt,
            AuditEvent e,
            String prevHash,
            String hash,
            String keyId) {
        Map<String, Object> params = new HashMap<>();
        params.put("seq", seq);
        params.put("id", id);
        params.put("event_id", e.eventId());
        params.put("occurred_at", utc(e.occurredAt()));
        params.put("recorded_at", utc(recordedAt));
        params.put("service", e.service());
        params.put("actor", e.actor());
        params.put("action", e.action());
        params.put("entity_type", e.entityType());
        params.put("entity_id", e.entityId());
        params.put("request_id", e.requestId());
        params.put("trace_id", e.traceId());
        params.put("details", e.details().toString());
        params.put("client_address", e.clientAddress());
        params.put("user_agent", e.userAgent());
        params.put("prev_hash", prevHash);
        params.put("hash", hash);
        params.put("key_id", keyId);
        if (tx.createNamedGet("insert-entry").params(params).execute().isEmpty()) {
            throw new NoSuchElementException("insert-entry returned no row for event " + e.eventId());
        }
    }

    public Optional<AuditEntry> findByEvent(DbExecute exec, UUID eventId) {
        return exec.createNamedGet("get-entry-by-event")
                .addParam("event_id", eventId)
                .execute()
                .map(AuditRepository::map);
    }

    public Optional<AuditEntry> find(UUID id) {
        return db.execute()
                .createNamedGet("get-entry")
                .addParam("id", id)
                .execute()
                .map(AuditRepository::map);
    }

    /** Newest first, {@code limit} entries from {@code offset} (page-number paging, and the first keyset page). */
    public List<AuditEntry> search(AuditQuery query, int limit, long offset) {
        Map<String, Object> params = filters(query);
        params.put("limit", limit);
        params.put("offset", offset);
        return db.execute()
                .createNamedQuery("search-entries")
                .params(params)
                .execute()
                .map(AuditRepository::map)
                .toList();
    }

    /**
     * Newest first, up to {@code limit} entries after {@code after} (from the newest when empty). The position is a
     * row comparison on (occurred_at, seq) in a statement of its own, never an optional filter: a deep page costs what
     * the first does.
     */
    public List<AuditEntry> searchAfter(AuditQuery query, Optional<AuditCursor> after, int limit) {
        if (after.isEmpty()) {
            return search(query, limit, 0);
        }
        Map<String, Object> params = filters(query);
        params.put("after_at", utc(after.get().occurredAt()));
        params.put("after_seq", after.get().seq());
        params.put("limit", limit);
        return db.execute()
                .createNamedQuery("search-entries-after")
                .params(params)
                .execute()
                .map(AuditRepository::map)
                .toList();
    }

    public long count(AuditQuery query) {
        return db.execute()
                .createNamedGet("count-entries")
                .params(filters(query))
                .execute()
                .map(row -> row.column("total").get(Long.class))
                .orElse(0L);
    }

    /** Up to {@code limit} entries of the chain after {@code afterSeq}, up to {@code toSeq}, in chain order. */
    public List<AuditEntry> chainSlice(long afterSeq, long toSeq, int limit) {
        return db.execute()
                .createNamedQuery("chain-slice")
                .addParam("after_seq", afterSeq)
                .addParam("to_seq", toSeq)
                .addParam("limit", limit)
                .execute()
                .map(AuditRepository::map)
                .toList();
    }

    public Optional<Long> firstSeqRecordedSince(OffsetDateTime at) {
        return seq("first-seq-recorded-since", at);
    }

    public Optional<Long> lastSeqRecordedBefore(OffsetDateTime at) {
        return seq("last-seq-recorded-before", at);
    }

    public Optional<String> hashAt(DbExecute exec, long seq) {
        return exec.createNamedGet("entry-hash")
                .addParam("seq", seq)
                .execute()
                .map(row -> row.column("hash").get(String.class));
    }

    /** The entry at {@code seq}: its id, hash and recorded_at. */
    public Optional<EntryLink> entryAt(long seq) {
        return db.execute()
                .createNamedGet("entry-link")
                .addParam("seq", seq)
                .execute()
                .map(row -> new EntryLink(
                        row.column("id").get(UUID.class),
                        row.column("hash").get(String.class),
                        row.column("recorded_at").get(Timestamp.class).toInstant()));
    }

    /** The highest seq in the table, whatever the head says (0 when empty). */
    public long lastSeq() {
        return db.execute()
                .namedGet("last-seq")
                .map(row -> row.column("seq").get(Long.class))
                .orElse(0L);
    }

    /** Where the chain starts now: after the last retention checkpoint, or at the beginning. */
    public ChainLink chainStart() {
        return db.execute()
                .namedGet("latest-checkpoint")
                .map(row -> new ChainLink(
                        row.column("through_seq").get(Long.class),
                        row.column("last_hash").get(String.class),
                        row.column("seal").get(String.class),
                        row.column("key_id").get(String.class)))
                .orElse(ChainLink.GENESIS);
    }

    /**
     * Removes the entries through {@code through}'s seq and writes the checkpoint with its seal and key id, in the
     * database function that alone may (migration V4; it takes the checkpoint's hash from the entry at that seq);
     * returns how many entries went.
     */
    public long purgeThrough(DbExecute tx, ChainLink through) {
        return tx.createNamedGet("purge-through")
                .addParam("through_seq", through.seq())
                .addParam("seal", through.seal())
                .addParam("key_id", through.keyId())
                .execute()
                .map(row -> row.column("purged").get(Long.class))
                .orElseThrow();
    }

    private Optional<Long> seq(String statement, OffsetDateTime at) {
        return db.execute()
                .createNamedGet(statement)
                .addParam("at", at)
                .execute()
                .map(row -> row.column("seq").get(Long.class));
    }

    private static Map<String, Object> filters(AuditQuery query) {
        Map<String, Object> params = new HashMap<>();
        params.put("service", query.service().orElse(null));
        params.put("actor", query.actor().orElse(null));
        params.put("action", query.action().orElse(null));
        params.put("entity_type", query.entityType().orElse(null));
        params.put("entity_id", query.entityId().orElse(null));
        params.put("request_id", query.requestId().orElse(null));
        params.put("trace_id", query.traceId().orElse(null));
        params.put("occurred_from", query.from().orElse(null));
        params.put("occurred_to", query.to().orElse(null));
        return params;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static ChainLink link(DbRow row) {
        return new ChainLink(
                row.column("seq").get(Long.class),
                row.column("hash").get(String.class),
                row.column("seal").get(String.class),
                row.column("key_id").get(String.class));
    }

    private static AuditEntry map(DbRow row) {
        return new AuditEntry(
                row.column("id").get(UUID.class),
                row.column("event_id").get(UUID.class),
                row.column("occurred_at").get(Timestamp.class).toInstant(),
                row.column("recorded_at").get(Timestamp.class).toInstant(),
                row.column("service").get(String.class),
                row.column("actor").get(String.class),
                row.column("action").get(String.class),
                row.column("entity_type").get(String.class),
                row.column("entity_id").get(String.class),
                row.column("request_id").get(String.class),
                Json.parseObject(row.column("details").get(String.class)),
                row.column("client_address").get(String.class),
                row.column("user_agent").get(String.class),
                row.column("seq").get(Long.class),
                row.column("prev_hash").get(String.class),
                row.column("hash").get(String.class),
                row.column("key_id").get(String.class),
                row.column("trace_id").get(String.class));
    }

    /** An entry's place in the chain: its id, the hash that ends there, and when it was recorded. */
    public record EntryLink(UUID id, String hash, Instant recordedAt) {}

    /**
     * A position in the chain: a sequence number, the hash that ends there and, for the head and a checkpoint, their
     * seal (a MAC under an integrity key, {@link HashChain#seal}; null where none was written) and that key's id.
     */
    public record ChainLink(long seq, String hash, String seal, String keyId) {
        /** The start of a chain nothing was purged from: before seq 1, whose prev_hash is GENESIS. */
        static final ChainLink GENESIS = new ChainLink(0, HashChain.GENESIS, null, null);
    }
}
