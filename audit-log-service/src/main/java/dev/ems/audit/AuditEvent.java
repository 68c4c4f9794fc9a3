package dev.ems.audit;

import java.time.Instant;
import java.util.UUID;

import jakarta.json.JsonObject;

/** A validated event as a sender reported it (timestamps at microsecond precision, as PostgreSQL keeps them). */
public record AuditEvent(UUID eventId,
                         Instant occurredAt,
                         String service,
                         String actor,
                         String action,
                         String entityType,
                         String entityId,
                         String requestId,
                         JsonObject details,
                         String clientAddress,
                         String userAgent) {
}
