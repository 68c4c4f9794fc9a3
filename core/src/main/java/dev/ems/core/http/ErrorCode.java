package dev.ems.core.http;

import io.helidon.http.Status;

/**
 * An error code an EMS service answers with ({@code error.code} in the envelope, the {@code type} label of the error
 * metric), and the HTTP status it travels with. Core's own are {@link CommonErrorCode}; a service adds its own as an
 * enum implementing this.
 */
public interface ErrorCode {
    /** The code on the wire, e.g. {@code VALIDATION_ERROR}. */
    String name();

    Status status();
}
