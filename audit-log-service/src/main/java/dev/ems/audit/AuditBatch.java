package dev.ems.audit;

import java.util.List;

import dev.ems.core.audit.AuditEvent;

/** The body of {@code POST /api/v1/audit-logs/batch}: what the services' outbox relays send. */
public record AuditBatch(List<AuditEvent> entries) {
}
