package dev.ems.audit;

import dev.ems.audit.AuditRepository.ChainLink;
import dev.ems.audit.VerifyResult.KeptCheckpoint;
import io.helidon.dbclient.DbClient;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Verification of the trail: recomputes the hash chain over all entries (or those recorded in [from, to)) and compares
 * every link with what is stored, from the chain's start (or its last retention checkpoint) to its end. An entry
 * changed, removed or inserted behind the service's back breaks it, and the first broken link is named. Both ends are
 * sealed ({@link HashChain#seal}): a checkpoint or a head moved without the integrity key (over entries deleted at the
 * start or at the end) fails its seal, and an entry past the head is a break too.
 * <p>
 * Against checkpoints an auditor kept ({@link CheckpointSigner}), it also proves that the chain still holds each of them
 * and extends it: a history rewritten by someone holding the database and the integrity key verifies as a chain, but
 * no longer holds the hash a kept checkpoint names.
 */
final class ChainVerifier {
    private static final int CHUNK = 1_000;
    private final DbClient db;
    private final AuditRepository repository;
    private final HashChain chain;

    ChainVerifier(DbClient db, AuditRepository repository, HashChain chain) {
        this.db = db;
        this.repository = repository;
        this.chain = chain;
    }

    VerifyResult verify(Optional<OffsetDateTime> from, Optional<OffsetDateTime> to) {
        ChainLink start = repository.chainStart();
        ChainLink head = repository.head();
        if (start.seq() > 0 && !chain.sealed(HashChain.CHECKPOINT, start)) {
            return VerifyResult.broken(0, null, start.seq());
        }
        if (head.seq() > 0 && !chain.sealed(HashChain.HEAD, head)) {
            return VerifyResult.broken(0, null, head.seq());
        }
        Optional<Long> firstSince = from.flatMap(repository::firstSeqRecordedSince);
        if (from.isPresent() && firstSince.isEmpty()) {
            return VerifyResult.intact(0);
        }
        long firstSeq = firstSince.orElse(start.seq() + 1);
        long lastSeq =
                to.map(t -> repository.lastSeqRecordedBefore(t).orElse(0L)).orElse(head.seq());
        long afterSeq = Math.max(firstSeq - 1, start.seq());
        String prevHash = afterSeq == start.seq()
                ? start.hash()
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
        if (to.isEmpty() && !prevHash.equals(head.hash())) {
            return VerifyResult.broken(checked, null, head.seq());
        }
        if (to.isEmpty() && repository.lastSeq() > head.seq()) {
            // entries past the head: the head was moved back over them
            return VerifyResult.broken(checked, null, head.seq() + 1);
        }
        return VerifyResult.intact(checked);
    }

    /** {@link #verify} over the whole chain, and each kept checkpoint against it; the first break is the lowest. */
    VerifyResult verify(List<Checkpoint> kept) {
        VerifyResult chainResult = verify(Optional.empty(), Optional.empty());
        ChainLink start = repository.chainStart();
        ChainLink head = repository.head();
        UUID firstBrokenId = chainResult.firstBrokenId();
        Long firstBrokenSeq = chainResult.firstBrokenSeq();
        List<KeptCheckpoint> statuses = new ArrayList<>();
        for (Checkpoint checkpoint : kept) {
            long seq = checkpoint.seq();
            Optional<AuditRepository.EntryLink> entry = Optional.empty();
            String status;
            if (seq > head.seq()) {
                status = KeptCheckpoint.BEYOND_END;
            } else if (seq < start.seq()) {
                status = KeptCheckpoint.PURGED;
            } else if (seq == start.seq()) {
                status = start.hash().equals(checkpoint.hash()) ? KeptCheckpoint.CONTAINED : KeptCheckpoint.DIFFERS;
            } else {
                entry = repository.entryAt(seq);
                status = entry.filter(at -> at.hash().equals(checkpoint.hash())).isPresent()
                        ? KeptCheckpoint.CONTAINED
                        : KeptCheckpoint.DIFFERS;
            }
            KeptCheckpoint result = new KeptCheckpoint(seq, status);
            statuses.add(result);
            if (result.broken() && (firstBrokenSeq == null || seq < firstBrokenSeq)) {
                firstBrokenSeq = seq;
                firstBrokenId = entry.map(AuditRepository.EntryLink::id).orElse(null);
            }
        }
        return new VerifyResult(
                firstBrokenSeq == null, chainResult.checked(), firstBrokenId, firstBrokenSeq, List.copyOf(statuses));
    }
}
