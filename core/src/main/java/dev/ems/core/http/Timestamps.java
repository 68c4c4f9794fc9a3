package dev.ems.core.http;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The timestamps EMS accepts (bodies and query parameters): RFC 3339, from 1970 to the end of 9999. Beyond that range
 * PostgreSQL either refuses them or, before 1582, the JDBC mapping shifts them by days; neither may reach a client
 * as a 500 or a silently changed value.
 */
public final class Timestamps {
    public static final String RULE =
            "must be an RFC 3339 timestamp between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z";
    private static final Instant MIN = Instant.EPOCH;
    private static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999Z");

    private Timestamps() {}

    /** The timestamp, or empty when it is not RFC 3339 or out of range. */
    public static Optional<OffsetDateTime> parse(String text) {
        try {
            OffsetDateTime value = OffsetDateTime.parse(text);
            Instant instant = value.toInstant();
            return instant.isBefore(MIN) || instant.isAfter(MAX) ? Optional.empty() : Optional.of(value);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
