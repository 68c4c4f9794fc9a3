package dev.ems.core.audit;

import jakarta.json.JsonObject;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.UUID;

/**
 * One audited change, as audit-log-service receives it ({@code POST /api/v1/audit-logs}). {@code details} holds
 * the changed fields before and after: {@code {"before": {...}, "after": {...}}}. {@code trace_id} is the W3C trace
 * of the request that made the change (null outside a trace), which leads from the entry to the trace.
 */
@JsonbPropertyOrder({
    "eventId",
    "occurredAt",
    "service",
    "actor",
    "action",
    "entityType",
    "entityId",
    "requestId",
    "details",
    "clientAddress",
    "userAgent",
    "traceId"
})
public record AuditEvent(
        UUID eventId,
        Instant occurredAt,
        String service,
        String actor,
        String action,
        String entityType,
        String entityId,
        @JsonbNillable String requestId,
        JsonObject details,
        @JsonbNillable String clientAddress,
        @JsonbNillable String userAgent,
        @JsonbNillable String traceId) {}
