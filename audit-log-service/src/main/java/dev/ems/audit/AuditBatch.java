package dev.ems.audit;

import dev.ems.core.audit.AuditEvent;
import java.util.List;

/** The body of {@code POST /api/v1/audit-logs/batch}: what the services' outbox relays send. */
public record AuditBatch(List<AuditEvent> entries) {}
