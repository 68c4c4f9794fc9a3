package dev.ems.audit;

import dev.ems.core.audit.AuditEvent;
import dev.ems.core.http.FieldError;
import dev.ems.core.http.Fields;
import jakarta.json.JsonValue;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the trail accepts as an event: the required fields, a lowercase service name and action, bounded text, and an
 * occurred_at not in the future (beyond a few minutes of clock skew). Microsecond precision, as stored.
 */
final class EventValidation {
    private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    private static final Pattern SERVICE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern TRACE_ID = Pattern.compile("(?!0{32})[0-9a-f]{32}");
    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private final Clock clock;

    EventValidation(Clock clock) {
        this.clock = clock;
    }

    /** The event as stored, or null with its errors (fields prefixed with {@code prefix}) added to {@code errors}. */
    AuditEvent validated(AuditEvent in, String prefix, List<FieldError> errors) {
        int before = errors.size();
        if (in == null) {
            errors.add(new FieldError(
                    prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1), "must be an object"));
            return null;
        }
        if (in.eventId() == null) {
            errors.add(new FieldError(prefix + "event_id", "is required"));
        }
        if (in.occurredAt() == null) {
            errors.add(new FieldError(prefix + "occurred_at", "is required"));
        } else if (in.occurredAt().isAfter(clock.instant().plus(MAX_CLOCK_SKEW))) {
            errors.add(new FieldError(prefix + "occurred_at", "must not be in the future"));
        }
        String service = pattern(in.service(), prefix + "service", SERVICE_NAME, "a lowercase service name", errors);
        String actor = Fields.required(in.actor(), prefix + "actor", 128, errors);
        String action = pattern(
                in.action(), prefix + "action", ACTION, "a lowercase action such as create or status_change", errors);
        String entityType = Fields.required(in.entityType(), prefix + "entity_type", 64, errors);
        String entityId = Fields.required(in.entityId(), prefix + "entity_id", 128, errors);
        String requestId = Fields.optional(in.requestId(), prefix + "request_id", 128, errors);
        // 128: room for a pseudonym (hmac-sha256:<key id>:<64 hex digits>) as for any address
        String clientAddress = Fields.optional(in.clientAddress(), prefix + "client_address", 128, errors);
        String userAgent = Fields.optional(in.userAgent(), prefix + "user_agent", 512, errors);
        String traceId = Fields.optional(in.traceId(), prefix + "trace_id", 32, errors);
        if (traceId != null && !TRACE_ID.matcher(traceId).matches()) {
            errors.add(
                    new FieldError(prefix + "trace_id", "must be a W3C trace id: 32 lowercase hex digits, not all 0"));
        }
        if (errors.size() > before) {
            return null;
        }
        return new AuditEvent(
                in.eventId(),
                in.occurredAt().truncatedTo(ChronoUnit.MICROS),
                service,
                actor,
                action,
                entityType,
                entityId,
                requestId,
                in.details() == null ? JsonValue.EMPTY_JSON_OBJECT : in.details(),
                clientAddress,
                userAgent,
                traceId);
    }

    private static String pattern(String raw, String field, Pattern pattern, String what, List<FieldError> errors) {
        String value = Fields.required(raw, field, 64, errors);
        if (value != null && !pattern.matcher(value).matches()) {
            errors.add(new FieldError(field, "must be " + what));
        }
        return value;
    }
}
