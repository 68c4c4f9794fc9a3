package dev.ems.audit;

import dev.ems.core.http.ErrorCode;
import io.helidon.http.Status;

/** The error codes of audit-log-service beyond core's common ones. */
public enum AuditErrorCode implements ErrorCode {
    /** The end of the chain is not what the service sealed, so it signs no checkpoint of it (see /verify). */
    CHAIN_NOT_INTACT(Status.CONFLICT_409);

    private final Status status;

    AuditErrorCode(Status status) {
        this.status = status;
    }

    @Override
    public Status status() {
        return status;
    }
}
