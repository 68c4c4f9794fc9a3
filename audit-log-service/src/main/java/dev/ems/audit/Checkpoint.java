package dev.ems.audit;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.List;

/**
 * A signed checkpoint: the end of the chain at one moment ({@code seq} and its {@code hash}, the {@code recorded_at} of
 * the entry there, null at seq 0), signed with the checkpoint signing key {@code key_id}. The {@code signature} is a
 * compact JWS (ES256) whose payload holds the four other fields, so it can be checked with the published keys alone
 * ({@link CheckpointSigner}). An auditor stores checkpoints outside the system and hands them back to {@code POST
 * /verify} ({@link Kept}), which proves the chain still holds each of them.
 */
@JsonbPropertyOrder({"seq", "hash", "recordedAt", "keyId", "signature"})
public record Checkpoint(
        Long seq, String hash, @JsonbNillable Instant recordedAt, String keyId, String signature) {

    /** The body of {@code POST /api/v1/audit-logs/verify}: checkpoints kept by an auditor, as they were returned. */
    public record Kept(List<Checkpoint> checkpoints) {}
}
