package dev.ems.audit;

import dev.ems.core.audit.AuditEvent;
import dev.ems.core.auth.Caller;
import dev.ems.core.http.ApiException;
import dev.ems.core.http.CommonErrorCode;
import java.util.List;

/**
 * Who may do what with the trail, decided from the verified caller: a {@code service} appends events, each of which
 * must name that very service (its token's identity) as {@code service}, so that no service can write in another's
 * name; an {@code admin} or an {@code auditor} reads, searches, exports and verifies; nobody else does anything.
 */
final class AuditAccess {
    private AuditAccess() {}

    static void requireReader(Caller caller) {
        if (!(caller.has(Caller.Role.ADMIN) || caller.has(Caller.Role.AUDITOR))) {
            throw forbidden("only an admin or an auditor reads the audit trail");
        }
    }

    static void requireWriter(Caller caller) {
        if (!caller.has(Caller.Role.SERVICE) || caller.serviceIdentity().isEmpty()) {
            throw forbidden("only a service appends to the audit trail");
        }
    }

    /** Every event must be the calling service's own. */
    static void requireOwnEvents(Caller caller, List<AuditEvent> events) {
        String service = caller.serviceIdentity().orElseThrow();
        for (AuditEvent event : events) {
            if (!service.equals(event.service())) {
                throw forbidden("a service appends events of its own only (service \"" + service + "\")");
            }
        }
    }

    private static ApiException forbidden(String message) {
        return new ApiException(CommonErrorCode.FORBIDDEN, message);
    }
}
