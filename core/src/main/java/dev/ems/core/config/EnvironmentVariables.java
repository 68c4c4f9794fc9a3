package dev.ems.core.config;

import java.util.Locale;

/** Names of the environment variables that Helidon maps onto config keys, for messages that tell what to set. */
public final class EnvironmentVariables {
    private EnvironmentVariables() {}

    /** {@code audit.log.service.integrity.key} -> AUDIT_LOG_SERVICE_INTEGRITY_KEY; {@code a.pool-size} -> A_POOL_dash_SIZE. */
    public static String forKey(String key) {
        return key.replace('.', '_').toUpperCase(Locale.ROOT).replace("-", "_dash_");
    }
}
