package dev.ems.audit;

import dev.ems.audit.AuditRepository.ChainLink;
import dev.ems.core.audit.AuditEvent;
import dev.ems.core.auth.Caller;
import dev.ems.core.db.Tx;
import dev.ems.core.http.ApiException;
import dev.ems.core.http.CommonErrorCode;
import dev.ems.core.http.FieldError;
import dev.ems.core.http.KeysetPage;
import dev.ems.core.http.KeysetRequest;
import dev.ems.core.http.Page;
import dev.ems.core.http.PageRequest;
import io.helidon.dbclient.DbClient;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * What happens to the trail: entries are validated ({@link EventValidation}), appended to one hash chain (one writer
 * at a time, so concurrent writers never fork it), deduplicated on event_id, searched, verified
 * ({@link ChainVerifier}) and removed only by {@link Retention}.
 */
public final class AuditService {
    static final String SERVICE = "audit-log-service";
    static final int MAX_LIMIT = 500;
    static final int DEFAULT_LIMIT = 50;
    private static final int CHUNK = 1_000;
    private static final System.Logger CHECKPOINT_LOG = System.getLogger("dev.ems.audit.checkpoint");

    private final DbClient db;
    private final AuditRepository repository;
    private final HashChain chain;
    private final int maxBatch;
    private final Clock clock;
    private final EventValidation validation;
    private final ChainVerifier verifier;
    private final Retention retention;
    private final CheckpointSigner signer;
    private final CheckpointValidation checkpoints;

    public AuditService(
            DbClient db,
            AuditRepository repository,
            HashChain chain,
            CheckpointSigner signer,
            int maxBatch,
            Clock clock) {
        this.db = db;
        this.repository = repository;
        this.chain = chain;
        this.signer = signer;
        this.maxBatch = maxBatch;
        this.clock = clock;
        this.validation = new EventValidation(clock);
        this.verifier = new ChainVerifier(db, repository, chain);
        this.retention = new Retention(db, repository, chain, clock);
        this.checkpoints = new CheckpointValidation(signer);
    }

    /** The outcome of appending one event: the stored entry, and whether it was there already. */
    public record Appended(AuditEntry entry, boolean replayed) {}

    public Appended append(AuditEvent entry, Caller caller) {
        AuditAccess.requireWriter(caller);
        List<FieldError> errors = new ArrayList<>();
        AuditEvent event = validation.validated(entry, "", errors);
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        AuditAccess.requireOwnEvents(caller, List.of(event));
        return appendAll(List.of(event)).getFirst();
    }

    /** Appends a batch atomically, in order. Events already recorded are answered from the trail, not added. */
    public List<Appended> appendBatch(AuditBatch batch, Caller caller) {
        AuditAccess.requireWriter(caller);
        List<AuditEvent> entries = batch.entries();
        if (entries == null || entries.isEmpty()) {
            throw ApiException.validation(List.of(new FieldError("entries", "must contain at least one entry")));
        }
        if (entries.size() > maxBatch) {
            throw ApiException.validation(
                    List.of(new FieldError("entries", "must contain at most " + maxBatch + " entries")));
        }
        List<FieldError> errors = new ArrayList<>();
        List<AuditEvent> events = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            events.add(validation.validated(entries.get(i), "entries[" + i + "].", errors));
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        AuditAccess.requireOwnEvents(caller, events);
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
                        throw new ApiException(
                                CommonErrorCode.CONFLICT,
                                "event " + event.eventId() + " was recorded already with different content",
                                List.of(new FieldError("event_id", "already recorded with different content")),
                                Map.of());
                    }
                    result.add(new Appended(existing.get(), true));
                    continue;
                }
                long seq = head.seq() + 1;
                UUID id = UUID.randomUUID();
                Instant recordedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
                String hash = chain.hash(head.hash(), seq, id, recordedAt, event);
                repository.insert(tx, seq, id, recordedAt, event, head.hash(), hash, chain.keyId());
                result.add(
                        new Appended(repository.findByEvent(tx, event.eventId()).orElseThrow(), false));
                head = new ChainLink(seq, hash, null, null);
            }
            repository.moveHead(tx, chain.seal(HashChain.HEAD, head.seq(), head.hash()));
            return result;
        });
    }

    public AuditEntry get(UUID id, Caller caller) {
        AuditAccess.requireReader(caller);
        return repository.find(id).orElseThrow(() -> ApiException.notFound("audit entry"));
    }

    /** A keyset page, newest first; the cursor of the next page is present when there may be more. */
    public KeysetPage<AuditEntry, AuditCursor> search(
            AuditQuery query, KeysetRequest<AuditCursor> page, Caller caller) {
        AuditAccess.requireReader(caller);
        return keysetPage(query, page);
    }

    /** A numbered page, newest first, with the total count (costs a count; the cursor form does not). */
    public Page<AuditEntry> searchPage(AuditQuery query, PageRequest page, Caller caller) {
        AuditAccess.requireReader(caller);
        return Page.of(page, () -> repository.count(query), p -> repository.search(query, p.pageSize(), p.offset()));
    }

    /**
     * The entries matching {@code query}, newest first, for a reader to stream: checked now, before anything is
     * written, and read in keyset chunks as they are streamed, so memory stays flat.
     */
    public Export export(AuditQuery query, Caller caller) {
        AuditAccess.requireReader(caller);
        return sink -> forEach(query, sink);
    }

    /** Entries to stream, each handed to a sink. */
    @FunctionalInterface
    public interface Export {
        void forEach(Consumer<AuditEntry> sink);
    }

    private KeysetPage<AuditEntry, AuditCursor> keysetPage(AuditQuery query, KeysetRequest<AuditCursor> page) {
        return KeysetPage.of(repository.searchAfter(query, page.after(), page.rowsToRead()), page, AuditCursor::after);
    }

    private void forEach(AuditQuery query, Consumer<AuditEntry> sink) {
        Optional<AuditCursor> after = Optional.empty();
        while (true) {
            KeysetPage<AuditEntry, AuditCursor> page = keysetPage(query, new KeysetRequest<>(after, CHUNK));
            page.items().forEach(sink);
            if (page.next().isEmpty()) {
                return;
            }
            after = page.next();
        }
    }

    /**
     * Recomputes the chain over all entries (or those recorded in [from, to)) and compares every link
     * ({@link ChainVerifier}).
     */
    public VerifyResult verify(Optional<OffsetDateTime> from, Optional<OffsetDateTime> to, Caller caller) {
        AuditAccess.requireReader(caller);
        return verifier.verify(from, to);
    }

    /**
     * Verifies the chain as {@link #verify(Optional, Optional, Caller)} does, and that it still holds each checkpoint
     * an auditor kept ({@link ChainVerifier#verify(List)}); an altered checkpoint is refused.
     */
    public VerifyResult verify(Checkpoint.Kept kept, Caller caller) {
        AuditAccess.requireReader(caller);
        return verifier.verify(checkpoints.validated(kept));
    }

    /** The current end of the chain, signed ({@link CheckpointSigner}), for an auditor to keep. */
    public Checkpoint checkpoint(Caller caller) {
        AuditAccess.requireReader(caller);
        return checkpoint();
    }

    /**
     * The end of the chain, signed. Only a head that carries its seal is signed: a signature must never vouch for a
     * head moved without the integrity key.
     */
    Checkpoint checkpoint() {
        ChainLink head = repository.head();
        if (head.seq() == 0) {
            return signer.sign(0, head.hash(), null);
        }
        Optional<AuditRepository.EntryLink> last = repository.entryAt(head.seq());
        if (!chain.sealed(HashChain.HEAD, head)
                || last.filter(entry -> entry.hash().equals(head.hash())).isEmpty()) {
            throw new ApiException(
                    AuditErrorCode.CHAIN_NOT_INTACT,
                    "the end of the chain is not what the service sealed, so no checkpoint is signed: see"
                            + " GET /api/v1/audit-logs/verify");
        }
        return signer.sign(head.seq(), head.hash(), last.get().recordedAt());
    }

    /**
     * Writes the signed end of the chain to the log as one structured line (logger {@code dev.ems.audit.checkpoint}),
     * so that a log pipeline keeps copies outside the database with no infrastructure of its own.
     */
    void logCheckpoint() {
        Checkpoint checkpoint = checkpoint();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("seq", checkpoint.seq());
        fields.put("hash", checkpoint.hash());
        fields.put("recorded_at", checkpoint.recordedAt());
        fields.put("key_id", checkpoint.keyId());
        fields.put("signature", checkpoint.signature());
        CHECKPOINT_LOG.log(System.Logger.Level.INFO, "audit checkpoint", fields);
    }

    /** The public checkpoint keys as a JWKS document. */
    public String checkpointKeys(Caller caller) {
        AuditAccess.requireReader(caller);
        return signer.publishedKeys();
    }

    /** Retention ({@link Retention}): removes what was recorded before {@code cutoff}; returns how many entries. */
    public long purgeRecordedBefore(Instant cutoff) {
        return retention
                .purgeBefore(cutoff)
                .map(purge -> {
                    appendAll(List.of(retention.event(purge)));
                    return purge.count();
                })
                .orElse(0L);
    }
}
