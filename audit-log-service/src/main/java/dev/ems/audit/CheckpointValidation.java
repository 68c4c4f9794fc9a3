package dev.ems.audit;

import dev.ems.core.http.ApiException;
import dev.ems.core.http.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What {@code POST /verify} accepts as kept checkpoints: at most {@value #MAX_CHECKPOINTS}, each complete and signed, as
 * it stands, by a published checkpoint key ({@link CheckpointSigner#refusal}). An altered checkpoint is refused: it
 * proves nothing about the trail, and saying "intact" or "broken" against it would mislead.
 */
final class CheckpointValidation {
    static final int MAX_CHECKPOINTS = 100;
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    private final CheckpointSigner signer;

    CheckpointValidation(CheckpointSigner signer) {
        this.signer = signer;
    }

    List<Checkpoint> validated(Checkpoint.Kept kept) {
        List<Checkpoint> checkpoints = kept.checkpoints();
        if (checkpoints == null || checkpoints.isEmpty()) {
            throw ApiException.validation(
                    List.of(new FieldError("checkpoints", "must contain at least one checkpoint")));
        }
        if (checkpoints.size() > MAX_CHECKPOINTS) {
            throw ApiException.validation(
                    List.of(new FieldError("checkpoints", "must contain at most " + MAX_CHECKPOINTS + " checkpoints")));
        }
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < checkpoints.size(); i++) {
            String at = "checkpoints[" + i + "]";
            Checkpoint checkpoint = checkpoints.get(i);
            if (checkpoint == null) {
                errors.add(new FieldError(at, "must be a checkpoint as GET /checkpoint returned it"));
                continue;
            }
            int before = errors.size();
            if (checkpoint.seq() == null || checkpoint.seq() < 0) {
                errors.add(new FieldError(at + ".seq", "must be a sequence number, 0 or more"));
            }
            if (checkpoint.hash() == null || !HASH.matcher(checkpoint.hash()).matches()) {
                errors.add(new FieldError(at + ".hash", "must be 64 lowercase hex digits"));
            }
            if (checkpoint.keyId() == null || checkpoint.keyId().isBlank()) {
                errors.add(new FieldError(at + ".key_id", "is required"));
            }
            if (checkpoint.signature() == null || checkpoint.signature().isBlank()) {
                errors.add(new FieldError(at + ".signature", "is required"));
            }
            if (errors.size() == before) {
                signer.refusal(checkpoint).ifPresent(why -> errors.add(new FieldError(at, why)));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        return checkpoints;
    }
}
