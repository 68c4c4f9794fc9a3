package dev.ems.audit;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.UUID;

/**
 * {@code {"intact": true, "checked": N}} or {@code {"intact": false, "checked": N, "first_broken_id": "..."}}.
 * {@code first_broken_seq} says where the break is also when the broken entry is gone (removed at the end).
 */
@JsonbPropertyOrder({"intact", "checked", "firstBrokenId", "firstBrokenSeq"})
public record VerifyResult(boolean intact, long checked, UUID firstBrokenId, Long firstBrokenSeq) {

    static VerifyResult intact(long checked) {
        return new VerifyResult(true, checked, null, null);
    }

    static VerifyResult broken(long checked, UUID id, long seq) {
        return new VerifyResult(false, checked, id, seq);
    }
}
