package dev.ems.order;

import dev.ems.core.http.ErrorCode;
import io.helidon.http.Status;

/** The error codes of order-service beyond core's common ones. */
public enum OrderErrorCode implements ErrorCode {
    /** An order status change the lifecycle does not allow. */
    INVALID_STATE_TRANSITION(Status.CONFLICT_409),
    /** The order names a user that does not exist (or was deleted) in user-service. */
    USER_NOT_FOUND(Status.UNPROCESSABLE_CONTENT_422),
    /** The order names a user that exists but is not active. */
    USER_NOT_ACTIVE(Status.UNPROCESSABLE_CONTENT_422),
    /** An Idempotency-Key already used with a different request body. */
    IDEMPOTENCY_KEY_REUSED(Status.UNPROCESSABLE_CONTENT_422),
    /** user-service is down, slow, or shed by the circuit breaker or bulkhead; retry after Retry-After. */
    USER_SERVICE_UNAVAILABLE(Status.SERVICE_UNAVAILABLE_503);

    private final Status status;

    OrderErrorCode(Status status) {
        this.status = status;
    }

    @Override
    public Status status() {
        return status;
    }
}
