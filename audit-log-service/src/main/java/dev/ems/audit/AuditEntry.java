package dev.ems.audit;

import dev.ems.core.audit.AuditEvent;
import jakarta.json.JsonObject;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.UUID;

/**
 * An audit entry as the API returns it: what the sender reported, plus {@code id}, {@code recorded_at} and the
 * integrity fields ({@code seq}, its place in the chain; {@code prev_hash}; {@code hash}; {@code key_id}, the integrity
 * key's id, null for entries recorded before ids were).
 */
@JsonbPropertyOrder({
    "id",
    "eventId",
    "occurredAt",
    "recordedAt",
    "service",
    "actor",
    "action",
    "entityType",
    "entityId",
    "requestId",
    "details",
    "clientAddress",
    "userAgent",
    "seq",
    "prevHash",
    "hash",
    "keyId",
    "traceId"
})
public record AuditEntry(
        UUID id,
        UUID eventId,
        Instant occurredAt,
        Instant recordedAt,
        String service,
        String actor,
        String action,
        String entityType,
        String entityId,
        @JsonbNillable String requestId,
        JsonObject details,
        @JsonbNillable String clientAddress,
        @JsonbNillable String userAgent,
        long seq,
        String prevHash,
        String hash,
        @JsonbNillable String keyId,
        @JsonbNillable String traceId) {

    /** What the sender said, in the form the hash covers. */
    public AuditEvent event() {
        return new AuditEvent(
                eventId,
                occurredAt,
                service,
                actor,
                action,
                entityType,
                entityId,
                requestId,
                details,
                clientAddress,
                userAgent,
                traceId);
    }
}
