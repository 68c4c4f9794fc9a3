package dev.ems.audit;

import dev.ems.core.http.CursorCodec;
import java.time.Instant;
import java.util.List;

/**
 * A keyset position in the newest-first order: the (occurred_at, seq) of the last entry a page returned. On the wire
 * (core {@link CursorCodec}): base64url of {@code v1:<occurred_at in epoch microseconds>:<seq>}, opaque to clients.
 */
public record AuditCursor(Instant occurredAt, long seq) {
    public static final CursorCodec<AuditCursor> CODEC = new CursorCodec<>(
            "v1",
            2,
            c -> List.of(CursorCodec.micros(c.occurredAt()), Long.toString(c.seq())),
            fields -> new AuditCursor(CursorCodec.instant(fields.get(0)), CursorCodec.number(fields.get(1))));

    public static AuditCursor after(AuditEntry last) {
        return new AuditCursor(last.occurredAt(), last.seq());
    }
}
