package dev.ems.audit;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.json.JsonObject;

/** The body of {@code POST /api/v1/audit-logs} (one entry of a batch). Only what the sender knows. */
public record NewAuditEntry(UUID eventId,
                            OffsetDateTime occurredAt,
                            String service,
                            String actor,
                            String action,
                            String entityType,
                            String entityId,
                            String requestId,
                            JsonObject details,
                            String clientAddress,
                            String userAgent) {

    /** The body of {@code POST /api/v1/audit-logs/batch}. */
    public record Batch(List<NewAuditEntry> entries) {
    }
}
