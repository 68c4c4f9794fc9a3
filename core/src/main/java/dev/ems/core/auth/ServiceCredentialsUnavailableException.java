package dev.ems.core.auth;

/** No token for this service's own calls (the token endpoint is down or refuses): a dependency failure. */
public final class ServiceCredentialsUnavailableException extends RuntimeException {
    public ServiceCredentialsUnavailableException(String reason) {
        super(reason, null, false, false);
    }
}
