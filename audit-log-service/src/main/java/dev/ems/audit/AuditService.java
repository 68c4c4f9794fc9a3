package dev.ems.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import dev.ems.audit.AuditRepository.ChainLink;
import dev.ems.core.audit.AuditEvent;
import dev.ems.core.db.Tx;
import dev.ems.core.http.ApiException;
import dev.ems.core.http.CommonErrorCode;
import dev.ems.core.http.ErrorCode;
import dev.ems.core.http.FieldError;
import dev.ems.core.http.Fields;
import dev.ems.core.http.Json;
import dev.ems.core.http.KeysetPage;
import dev.ems.core.http.KeysetRequest;
import dev.ems.core.http.PageRequest;

import io.helidon.dbclient.DbClient;

import jakarta.json.JsonValue;

/**
 * The rules of the trail: entries are validated, appended to one hash chain (one writer at a time, so concurrent
 * writers never fork it), deduplicated on event_id, searched, verified, and removed only by retention.
 */
public final class AuditService {
    static final String SERVICE = "audit-log-service";
    static final int MAX_LIMIT = 500;
    static final int DEFAULT_LIMIT = 50;
    private static final int CHUNK = 1_000;
    private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    private static final Pattern SERVICE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private final DbClient db;
    private final AuditRepository repository;
    private final HashChain chain;
    private final int maxBatch;
    private final Clock clock;

    public AuditService(DbClient db, AuditRepository repository, HashChain chain, int maxBatch, Clock clock) {
        this.db = db;
        this.repository = repository;
        this.chain = chain;
        this.maxBatch = maxBatch;
        this.clock = clock;
    }

    /** The outcome of appending one event: the stored entry, and whether it was there already. */
    public record Appended(AuditEntry entry, boolean replayed) {
    }

    public Appended append(AuditEvent entry) {
        return appendAll(List.of(validated(entry, "", new ArrayList<>(), true))).getFirst();
    }

    /** Appends a batch atomically, in order. Events already recorded are answered from the trail, not added. */
    public List<Appended> appendBatch(AuditBatch batch) {
        List<AuditEvent> entries = batch.entries();
        if (entries == null || entries.isEmpty()) {
            throw ApiException.validation(List.of(new FieldError("entries", "must contain at least one entry")));
        }
        if (entries.size() > maxBatch) {
            throw ApiException.validation(List.of(new FieldError("entries", "must contain at most " + maxBatch + " entries")));
        }
        List<FieldError> errors = new ArrayList<>();
        List<AuditEvent> events = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            events.add(validated(entries.get(i), "entries[" + i + "].", errors, false));
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        return appendAll(events);
    }

    private List<Appended> appendAll(List<AuditEvent> events) {
        return Tx.inTransaction(db, tx -> {
            ChainLink head = repository.lockHead(tx);
            List<Appended> result = new ArrayList<>(events.size());
            for (AuditEvent event : events) {
                Optional<AuditEntry> existing = repository.findByEvent(tx, event.eventId());
                if (existing.isPresent()) {
                    if (!HashChain.canonical(existing.get().event()).equals(HashChain.canonical(event))) {
                        throw new ApiException(CommonErrorCode.CONFLICT, "event " + event.eventId()
                                + " was recorded already with different content",
                                List.of(new FieldError("event_id", "already recorded with different content")),
                                java.util.Map.of());
                    }
                    result.add(new Appended(existing.get(), true));
                    continue;
                }
                long seq = head.seq() + 1;
                UUID id = UUID.randomUUID();
                Instant recordedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
                String hash = chain.hash(head.hash(), seq, id, recordedAt, event);
                repository.insert(tx, seq, id, recordedAt, event, head.hash(), hash);
                result.add(new Appended(repository.findByEvent(tx, event.eventId()).orElseThrow(), false));
                head = new ChainLink(seq, hash);
            }
            repository.moveHead(tx, head);
            return result;
        });
    }

    public AuditEntry get(UUID id) {
        return repository.find(id).orElseThrow(() -> ApiException.notFound("audit entry"));
    }

    /** A keyset page, newest first; the cursor of the next page is present when there may be more. */
    public KeysetPage<AuditEntry, AuditCursor> search(AuditQuery query, KeysetRequest<AuditCursor> page) {
        return KeysetPage.of(repository.searchAfter(query, page.after(), page.rowsToRead()), page, AuditCursor::after);
    }

    /** A numbered page, newest first, with the total count (costs a count; the cursor form does not). */
    public dev.ems.core.http.Page<AuditEntry> searchPage(AuditQuery query, PageRequest page) {
        long total = repository.count(query);
        List<AuditEntry> rows = page.offset() >= total ? List.of()
                : repository.search(query, page.pageSize(), page.offset());
        return new dev.ems.core.http.Page<>(rows, page, total);
    }

    /** Every entry matching {@code query}, newest first, read in keyset chunks so memory stays flat. */
    public void forEach(AuditQuery query, Consumer<AuditEntry> sink) {
        Optional<AuditCursor> after = Optional.empty();
        while (true) {
            KeysetPage<AuditEntry, AuditCursor> page = search(query, new KeysetRequest<>(after, CHUNK));
            page.items().forEach(sink);
            if (page.next().isEmpty()) {
                return;
            }
            after = page.next();
        }
    }

    /**
     * Recomputes the chain over all entries (or those recorded in [from, to)) and compares every link: an entry
     * changed, removed or inserted behind the service's back breaks it.
     */
    public VerifyResult verify(Optional<java.time.OffsetDateTime> from, Optional<java.time.OffsetDateTime> to) {
        ChainLink start = repository.chainStart();
        ChainLink head = repository.head();
        Optional<Long> firstSince = from.flatMap(repository::firstSeqRecordedSince);
        if (from.isPresent() && firstSince.isEmpty()) {
            return VerifyResult.intact(0);
        }
        long firstSeq = firstSince.orElse(start.seq() + 1);
        long lastSeq = to.map(t -> repository.lastSeqRecordedBefore(t).orElse(0L)).orElse(head.seq());
        long afterSeq = Math.max(firstSeq - 1, start.seq());
        String prevHash = afterSeq == start.seq() ? start.hash()
                : repository.hashAt(db.execute(), afterSeq).orElse(null);
        long checked = 0;
        long expectedSeq = afterSeq + 1;
        while (expectedSeq <= lastSeq) {
            List<AuditEntry> slice = repository.chainSlice(afterSeq, lastSeq, CHUNK);
            if (slice.isEmpty()) {
                break;
            }
            for (AuditEntry entry : slice) {
                if (entry.seq() != expectedSeq || prevHash == null || !chain.holds(entry, prevHash)) {
                    return VerifyResult.broken(checked, entry.id(), entry.seq());
                }
                checked++;
                prevHash = entry.hash();
                expectedSeq++;
                afterSeq = entry.seq();
            }
        }
        if (expectedSeq <= lastSeq) {
            // entries at the end of the range are gone (deleted after the last one we saw)
            return VerifyResult.broken(checked, null, expectedSeq);
        }
        if (to.isEmpty() && checked > 0 && !prevHash.equals(head.hash())) {
            return VerifyResult.broken(checked, null, head.seq());
        }
        return VerifyResult.intact(checked);
    }

    /**
     * Retention: removes the entries recorded before {@code cutoff} (a prefix of the chain), leaves a checkpoint
     * (the last removed link) so verify goes on from there, and records the purge itself in the trail.
     */
    public long purgeRecordedBefore(Instant cutoff) {
        Optional<Long> through = repository.lastSeqRecordedBefore(cutoff.atOffset(ZoneOffset.UTC));
        ChainLink start = repository.chainStart();
        if (through.isEmpty() || through.get() <= start.seq()) {
            return 0;
        }
        long purged = Tx.inTransaction(db, tx -> {
            repository.lockHead(tx); // no append, and no other replica's purge, interleaves with this one
            if (through.get() <= repository.chainStart().seq()) {
                return 0L; // another replica purged it meanwhile
            }
            String hash = repository.hashAt(tx, through.get()).orElseThrow();
            long count = repository.purgeThrough(tx, through.get());
            repository.checkpoint(tx, new ChainLink(through.get(), hash), count);
            return count;
        });
        if (purged == 0) {
            return 0;
        }
        appendAll(List.of(new AuditEvent(UUID.randomUUID(), clock.instant().truncatedTo(ChronoUnit.MICROS), SERVICE,
                                         "system:retention", "purge", "audit_log", "through-seq-" + through.get(), null,
                                         Json.objectBuilder()
                                                 .add("purged_count", purged)
                                                 .add("through_seq", through.get())
                                                 .add("recorded_before", cutoff.toString())
                                                 .build(),
                                         null, null)));
        return purged;
    }

    private AuditEvent validated(AuditEvent in, String prefix, List<FieldError> errors, boolean throwNow) {
        int before = errors.size();
        if (in == null) {
            errors.add(new FieldError(prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1), "must be an object"));
            return null;
        }
        if (in.eventId() == null) {
            errors.add(new FieldError(prefix + "event_id", "is required"));
        }
        if (in.occurredAt() == null) {
            errors.add(new FieldError(prefix + "occurred_at", "is required"));
        } else if (in.occurredAt().isAfter(clock.instant().plus(MAX_CLOCK_SKEW))) {
            errors.add(new FieldError(prefix + "occurred_at", "must not be in the future"));
        }
        String service = pattern(in.service(), prefix + "service", SERVICE_NAME, "a lowercase service name", errors);
        String actor = Fields.required(in.actor(), prefix + "actor", 128, errors);
        String action = pattern(in.action(), prefix + "action", ACTION, "a lowercase action such as create or status_change",
                                errors);
        String entityType = Fields.required(in.entityType(), prefix + "entity_type", 64, errors);
        String entityId = Fields.required(in.entityId(), prefix + "entity_id", 128, errors);
        String requestId = Fields.optional(in.requestId(), prefix + "request_id", 128, errors);
        String clientAddress = Fields.optional(in.clientAddress(), prefix + "client_address", 64, errors);
        String userAgent = Fields.optional(in.userAgent(), prefix + "user_agent", 512, errors);
        if (errors.size() > before) {
            if (throwNow) {
                throw ApiException.validation(errors);
            }
            return null;
        }
        return new AuditEvent(in.eventId(), in.occurredAt().truncatedTo(ChronoUnit.MICROS), service, actor,
                              action, entityType, entityId, requestId,
                              in.details() == null ? JsonValue.EMPTY_JSON_OBJECT : in.details(),
                              clientAddress, userAgent);
    }

    private static String pattern(String raw, String field, Pattern pattern, String what, List<FieldError> errors) {
        String value = Fields.required(raw, field, 64, errors);
        if (value != null && !pattern.matcher(value).matches()) {
            errors.add(new FieldError(field, "must be " + what));
        }
        return value;
    }
}
