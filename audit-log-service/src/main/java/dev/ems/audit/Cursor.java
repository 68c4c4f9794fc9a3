package dev.ems.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

import dev.ems.core.http.ApiException;

/**
 * A keyset position in the newest-first order: the (occurred_at, seq) of the last entry a page returned. Opaque
 * to clients (base64url), so its format can change without breaking them.
 */
public record Cursor(Instant occurredAt, long seq) {
    private static final String VERSION = "v1";

    public static Cursor after(AuditEntry last) {
        return new Cursor(last.occurredAt(), last.seq());
    }

    public String encode() {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, occurredAt);
        String raw = VERSION + ":" + micros + ":" + seq;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static Cursor decode(String token) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":");
            if (parts.length != 3 || !parts[0].equals(VERSION)) {
                throw new IllegalArgumentException("unknown cursor format");
            }
            return new Cursor(Instant.EPOCH.plus(Long.parseLong(parts[1]), ChronoUnit.MICROS), Long.parseLong(parts[2]));
        } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
            throw ApiException.invalidParameter("cursor", "is not a cursor this service issued (use meta.next_cursor)");
        }
    }
}
