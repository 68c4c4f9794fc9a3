package dev.ems.core.http;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The keyset cursors of every EMS list that offers them: a position in the list's order, written as base64url (no
 * padding) of {@code <version>:<field>:<field>...}. Opaque to clients (they pass {@code meta.next_cursor} back as
 * {@code cursor}), so the format can change without breaking them; the version names the format and the list that
 * issued it, so a cursor from another list or an older format is refused rather than misread.
 *
 * <p>Decoding is strict: only a token this codec could have written is accepted (the decoded position must encode back
 * to exactly the same token), anything else (not base64url, another version, a field missing or extra, a value that
 * does not parse, a non-canonical spelling) is 400 INVALID_PARAMETER on {@code cursor}, never a 500.
 *
 * @param <C> the position type (e.g. a record of the order's columns)
 */
public final class CursorCodec<C> {
    public static final String PARAMETER = "cursor";
    private static final String SEPARATOR = ":";

    private final String version;
    private final int fields;
    private final Function<C, List<String>> writer;
    private final Function<List<String>, C> reader;

    /**
     * @param version the first field of every cursor, e.g. {@code v1}; no {@code :}
     * @param fields  how many fields follow it
     * @param writer  a position's fields, as text without {@code :} (see {@link #micros}, {@link Long#toString}, ...)
     * @param reader  the position from its fields; may throw {@link IllegalArgumentException} (e.g. via
     *                {@link #number}, {@link #uuid}), {@link ArithmeticException} or {@link DateTimeException}
     */
    public CursorCodec(String version, int fields, Function<C, List<String>> writer, Function<List<String>, C> reader) {
        if (version.isEmpty() || version.contains(SEPARATOR) || fields < 1) {
            throw new IllegalArgumentException("bad cursor format " + version + "/" + fields);
        }
        this.version = version;
        this.fields = fields;
        this.writer = writer;
        this.reader = reader;
    }

    public String encode(C position) {
        List<String> values = writer.apply(position);
        if (values.size() != fields || values.stream().anyMatch(v -> v.isEmpty() || v.contains(SEPARATOR))) {
            throw new IllegalArgumentException(
                    "a " + version + " cursor has " + fields + " non-empty fields without ':'");
        }
        String raw = version + SEPARATOR + String.join(SEPARATOR, values);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The position of a cursor this codec issued; anything else is 400 INVALID_PARAMETER on {@code cursor}. */
    public C decode(String token) {
        C position;
        try {
            String[] parts =
                    new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(SEPARATOR, -1);
            if (parts.length != fields + 1 || !parts[0].equals(version)) {
                throw notIssued();
            }
            position = reader.apply(List.of(parts).subList(1, parts.length));
        } catch (IllegalArgumentException | ArithmeticException | DateTimeException e) {
            throw notIssued();
        }
        if (!encode(position).equals(token)) {
            throw notIssued(); // "v1:007:5", padding, upper-case hex...: parses, but was never issued
        }
        return position;
    }

    /** An instant as whole microseconds since the epoch (PostgreSQL's precision, so nothing is lost). */
    public static String micros(Instant at) {
        return Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, at));
    }

    /** The instant {@link #micros} wrote. */
    public static Instant instant(String micros) {
        return Instant.EPOCH.plus(number(micros), ChronoUnit.MICROS);
    }

    /** A decimal long; {@link NumberFormatException} (an {@link IllegalArgumentException}) otherwise. */
    public static long number(String text) {
        return Long.parseLong(text);
    }

    /** A UUID in its canonical 8-4-4-4-12 form only. */
    public static UUID uuid(String text) {
        if (!JsonBody.isCanonicalUuid(text)) {
            throw new IllegalArgumentException("not a canonical UUID");
        }
        return UUID.fromString(text);
    }

    private static ApiException notIssued() {
        return ApiException.invalidParameter(PARAMETER, "is not a cursor this service issued (use meta.next_cursor)");
    }
}
