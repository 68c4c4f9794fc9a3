package dev.ems.core.auth;

/** The issuer's keys could not be fetched, so a token cannot be checked now: the issuer's outage, not the caller's. */
public final class IssuerUnavailableException extends RuntimeException {
    public IssuerUnavailableException() {
        super("the token issuer's keys are unavailable", null, false, false);
    }
}
