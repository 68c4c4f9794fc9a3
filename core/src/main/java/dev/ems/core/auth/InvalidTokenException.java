package dev.ems.core.auth;

/** A bearer token that proves nothing: 401 with {@code error="invalid_token"}. The reason is for the log only. */
public final class InvalidTokenException extends RuntimeException {
    public InvalidTokenException(String reason) {
        super(reason, null, false, false);
    }
}
