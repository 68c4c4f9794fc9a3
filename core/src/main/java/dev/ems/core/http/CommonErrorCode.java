package dev.ems.core.http;

import io.helidon.http.Status;

/** The error codes every EMS service shares (a service adds its own as an enum of {@link ErrorCode}s). */
public enum CommonErrorCode implements ErrorCode {
    VALIDATION_ERROR(Status.BAD_REQUEST_400),
    /** Malformed at the HTTP level (bad URI encoding, broken headers). */
    BAD_REQUEST(Status.BAD_REQUEST_400),
    INVALID_JSON(Status.BAD_REQUEST_400),
    INVALID_PARAMETER(Status.BAD_REQUEST_400),
    /** No bearer token, or one that proves nothing (with {@code WWW-Authenticate: Bearer}). */
    UNAUTHORIZED(Status.UNAUTHORIZED_401),
    /** A verified caller whose roles do not allow what it asked for. */
    FORBIDDEN(Status.FORBIDDEN_403),
    NOT_FOUND(Status.NOT_FOUND_404),
    METHOD_NOT_ALLOWED(Status.METHOD_NOT_ALLOWED_405),
    NOT_ACCEPTABLE(Status.NOT_ACCEPTABLE_406),
    /** The request body did not arrive within the body deadline (a slow or stalled client). */
    REQUEST_TIMEOUT(Status.REQUEST_TIMEOUT_408),
    CONFLICT(Status.CONFLICT_409),
    PRECONDITION_FAILED(Status.PRECONDITION_FAILED_412),
    PAYLOAD_TOO_LARGE(Status.REQUEST_ENTITY_TOO_LARGE_413),
    /** The request target (path and query) is longer than the server reads. */
    URI_TOO_LONG(Status.REQUEST_URI_TOO_LONG_414),
    UNSUPPORTED_MEDIA_TYPE(Status.UNSUPPORTED_MEDIA_TYPE_415),
    RATE_LIMIT_EXCEEDED(Status.TOO_MANY_REQUESTS_429),
    INTERNAL_ERROR(Status.INTERNAL_SERVER_ERROR_500),
    SERVICE_UNAVAILABLE(Status.SERVICE_UNAVAILABLE_503);

    private final Status status;

    CommonErrorCode(Status status) {
        this.status = status;
    }

    @Override
    public Status status() {
        return status;
    }

    /**
     * The code that stands for a bare HTTP status (from the server itself rather than from EMS code). Any other
     * client error is BAD_REQUEST: what a client sends never turns into a server error.
     */
    public static CommonErrorCode forStatus(int status) {
        return switch (status) {
            case 400 -> BAD_REQUEST;
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 408 -> REQUEST_TIMEOUT;
            case 409 -> CONFLICT;
            case 412 -> PRECONDITION_FAILED;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 414 -> URI_TOO_LONG;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 429 -> RATE_LIMIT_EXCEEDED;
            case 503 -> SERVICE_UNAVAILABLE;
            default -> status >= 400 && status < 500 ? BAD_REQUEST : INTERNAL_ERROR;
        };
    }
}
