package dev.ems.audit;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;
import java.util.UUID;

/**
 * {@code {"intact": true, "checked": N}} or {@code {"intact": false, "checked": N, "first_broken_id": "..."}}.
 * {@code first_broken_seq} says where the break is also when the broken entry is gone (removed at the end). Verified
 * against kept checkpoints ({@code POST /verify}), {@code checkpoints} says what became of each.
 */
@JsonbPropertyOrder({"intact", "checked", "firstBrokenId", "firstBrokenSeq", "checkpoints"})
public record VerifyResult(
        boolean intact, long checked, UUID firstBrokenId, Long firstBrokenSeq, List<KeptCheckpoint> checkpoints) {

    static VerifyResult intact(long checked) {
        return new VerifyResult(true, checked, null, null, null);
    }

    static VerifyResult broken(long checked, UUID id, long seq) {
        return new VerifyResult(false, checked, id, seq, null);
    }

    /**
     * A kept checkpoint against the chain now: {@value #CONTAINED} (the chain holds it unchanged), {@value #DIFFERS}
     * (another entry, or none, at its seq: history was rewritten), {@value #BEYOND_END} (the chain now ends before it:
     * it was cut back), or {@value #PURGED} (retention removed that part, so it can no longer be checked).
     */
    @JsonbPropertyOrder({"seq", "status"})
    public record KeptCheckpoint(long seq, String status) {
        static final String CONTAINED = "contained";
        static final String DIFFERS = "differs";
        static final String BEYOND_END = "beyond_end";
        static final String PURGED = "purged";

        boolean broken() {
            return status.equals(DIFFERS) || status.equals(BEYOND_END);
        }
    }
}
