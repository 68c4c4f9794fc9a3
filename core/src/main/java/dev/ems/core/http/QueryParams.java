package dev.ems.core.http;

import io.helidon.common.parameters.Parameters;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Strict reading of query (and path) parameters: a malformed value is 400 INVALID_PARAMETER, never ignored. */
public final class QueryParams {
    private QueryParams() {}

    /**
     * Refuses any query parameter but {@code allowed}: a misspelled filter ({@code ?servce=x}) must not quietly
     * answer with everything.
     */
    public static void allowOnly(Parameters query, Set<String> allowed) {
        for (String name : query.names()) {
            if (!allowed.contains(name)) {
                throw ApiException.invalidParameter(
                        name,
                        "is not a parameter of this endpoint; allowed: "
                                + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    public static long longParam(Parameters query, String name, long defaultValue, long min, long max) {
        Optional<String> raw = single(query, name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(raw.get().trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalidParameter(name, "must be an integer between " + min + " and " + max);
        }
        if (value < min || value > max) {
            throw ApiException.invalidParameter(name, "must be an integer between " + min + " and " + max);
        }
        return value;
    }

    /** An optional parameter that must be one of {@code allowed} when present. */
    public static Optional<String> oneOf(Parameters query, String name, Set<String> allowed) {
        Optional<String> value = single(query, name);
        if (value.isPresent() && !allowed.contains(value.get())) {
            throw ApiException.invalidParameter(
                    name,
                    "must be one of "
                            + String.join(", ", allowed.stream().sorted().toList()));
        }
        return value;
    }

    /** An optional free-text parameter, trimmed, empty treated as absent, bounded in length. */
    public static Optional<String> text(Parameters query, String name, int maxLength) {
        Optional<String> value = single(query, name).map(String::trim).filter(s -> !s.isEmpty());
        if (value.isPresent() && value.get().length() > maxLength) {
            throw ApiException.invalidParameter(name, "must be at most " + maxLength + " characters");
        }
        return value;
    }

    /** A UUID in its canonical 8-4-4-4-12 form (a path id, or a query filter). */
    public static UUID uuid(String name, String raw) {
        if (raw == null || !JsonBody.isCanonicalUuid(raw)) {
            throw ApiException.invalidParameter(name, "must be a UUID");
        }
        return UUID.fromString(raw);
    }

    /** An optional RFC 3339 timestamp parameter. */
    public static Optional<OffsetDateTime> timestamp(Parameters query, String name) {
        return text(query, name, 64)
                .map(v -> Timestamps.parse(v).orElseThrow(() -> ApiException.invalidParameter(name, Timestamps.RULE)));
    }

    private static Optional<String> single(Parameters query, String name) {
        if (!query.contains(name)) {
            return Optional.empty();
        }
        List<String> values = query.all(name);
        if (values.size() > 1) {
            throw ApiException.invalidParameter(name, "must be given once");
        }
        return values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }
}
