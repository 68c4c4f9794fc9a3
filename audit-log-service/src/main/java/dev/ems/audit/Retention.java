package dev.ems.audit;

import dev.ems.core.audit.AuditEvent;
import dev.ems.core.db.Tx;
import dev.ems.core.http.Json;
import dev.ems.core.tracing.Tracing;
import io.helidon.dbclient.DbClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

/**
 * Retention, the trail's only removal: the entries recorded before a cutoff (a prefix of the chain, by recorded_at,
 * which follows the chain's order) go, and a checkpoint keeps the last removed link so that verification goes on from
 * there. Safe across replicas: the chain head's lock orders a purge with every append and every other purge.
 */
final class Retention {
    static final String ACTOR = "system:retention";
    private final DbClient db;
    private final AuditRepository repository;
    private final HashChain chain;
    private final Clock clock;

    Retention(DbClient db, AuditRepository repository, HashChain chain, Clock clock) {
        this.db = db;
        this.repository = repository;
        this.chain = chain;
        this.clock = clock;
    }

    /** Removes what was recorded before {@code cutoff}: nothing, or the entries through a seq. */
    Optional<Purge> purgeBefore(Instant cutoff) {
        Optional<Long> through = repository.lastSeqRecordedBefore(cutoff.atOffset(ZoneOffset.UTC));
        if (through.isEmpty() || through.get() <= repository.chainStart().seq()) {
            return Optional.empty();
        }
        long count = Tx.inTransaction(db, tx -> {
            repository.lockHead(tx); // no append, and no other replica's purge, interleaves with this one
            if (through.get() <= repository.chainStart().seq()) {
                return 0L; // another replica purged it meanwhile
            }
            String hash = repository.hashAt(tx, through.get()).orElseThrow();
            return repository.purgeThrough(tx, chain.seal(HashChain.CHECKPOINT, through.get(), hash));
        });
        return count == 0 ? Optional.empty() : Optional.of(new Purge(count, through.get(), cutoff));
    }

    /** A purge: how many entries went, through which seq, and the cutoff. */
    record Purge(long count, long throughSeq, Instant cutoff) {}

    /** The entry that records {@code purge} in the trail itself. */
    AuditEvent event(Purge purge) {
        return new AuditEvent(
                UUID.randomUUID(),
                clock.instant().truncatedTo(ChronoUnit.MICROS),
                AuditService.SERVICE,
                ACTOR,
                "purge",
                "audit_log",
                "through-seq-" + purge.throughSeq(),
                null,
                Json.objectBuilder()
                        .add("purged_count", purge.count())
                        .add("through_seq", purge.throughSeq())
                        .add("recorded_before", purge.cutoff().toString())
                        .build(),
                null,
                null,
                Tracing.currentTraceId().orElse(null));
    }
}
