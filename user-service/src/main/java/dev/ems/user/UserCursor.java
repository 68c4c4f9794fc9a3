package dev.ems.user;

import dev.ems.core.http.CursorCodec;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A keyset position in the list order (created_at, then id): the last user a page returned. On the wire (core
 * {@link CursorCodec}): base64url of {@code u1:<created_at in epoch microseconds>:<id>}, opaque to clients; "u1"
 * (the user list, format 1) sets it apart from every other list's cursors.
 */
public record UserCursor(Instant createdAt, UUID id) {
    public static final CursorCodec<UserCursor> CODEC = new CursorCodec<>(
            "u1",
            2,
            c -> List.of(CursorCodec.micros(c.createdAt()), c.id().toString()),
            fields -> new UserCursor(CursorCodec.instant(fields.get(0)), CursorCodec.uuid(fields.get(1))));

    public static UserCursor after(User last) {
        return new UserCursor(last.createdAt(), last.id());
    }
}
