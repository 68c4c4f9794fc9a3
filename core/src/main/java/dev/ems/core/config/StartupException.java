package dev.ems.core.config;

/**
 * A reason the service must not start (a missing or unsafe secret, a missing part): {@code ServiceRuntime.run}
 * reports its message as one log line and exits with status 1, without a stack trace, since the message alone says
 * what to fix.
 */
public final class StartupException extends RuntimeException {
    public StartupException(String message) {
        super(message);
    }
}
