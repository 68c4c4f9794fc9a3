package dev.ems.core.config;

import io.helidon.config.ConfigException;
import io.helidon.config.MissingValueException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reason the service must not start (a missing or unsafe secret, a setting that is missing or malformed, a missing
 * part): {@code ServiceRuntime.run} reports its message as one log line and exits with status 1, without a stack
 * trace, since the message alone says what to fix.
 */
public final class StartupException extends RuntimeException {
    private static final Pattern KEY = Pattern.compile("key '([^']+)'");
    private static final Pattern VALUE = Pattern.compile("value '([^']{0,64})'");

    public StartupException(String message) {
        super(message);
    }

    /**
     * What Helidon reports about a setting it could not read (its exceptions name the key only in their text), said
     * with the environment variable that sets it.
     */
    public static StartupException of(ConfigException e) {
        Matcher key = KEY.matcher(String.valueOf(e.getMessage()));
        if (!key.find()) {
            return new StartupException("configuration: " + e.getMessage());
        }
        String variable = EnvironmentVariables.forKey(key.group(1));
        if (e instanceof MissingValueException) {
            return new StartupException(key.group(1) + " is not set (" + variable + ")");
        }
        Matcher value = VALUE.matcher(e.getMessage());
        return new StartupException(variable + " is not valid" + (value.find() ? ": '" + value.group(1) + "'" : ""));
    }
}
