package dev.ems.audit;

import java.time.OffsetDateTime;
import java.util.Optional;

/** Search filters, freely combined; {@code from} inclusive, {@code to} exclusive, on occurred_at. */
public record AuditQuery(
        Optional<String> service,
        Optional<String> actor,
        Optional<String> action,
        Optional<String> entityType,
        Optional<String> entityId,
        Optional<String> requestId,
        Optional<String> traceId,
        Optional<OffsetDateTime> from,
        Optional<OffsetDateTime> to) {}
