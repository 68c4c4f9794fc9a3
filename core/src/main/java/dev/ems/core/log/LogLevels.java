package dev.ems.core.log;

import java.util.Locale;
import java.util.logging.Level;

/** The {@code <SERVICE>_LOG_LEVEL} names (debug, info, warn, error) mapped onto java.util.logging. */
public final class LogLevels {
    private LogLevels() {}

    public static Level parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "trace" -> Level.FINEST;
            case "debug" -> Level.FINE;
            case "info" -> Level.INFO;
            case "warn", "warning" -> Level.WARNING;
            case "error" -> Level.SEVERE;
            default ->
                throw new IllegalArgumentException("unknown log level '" + name + "' (use debug, info, warn or error)");
        };
    }

    static String name(Level level) {
        int value = level.intValue();
        if (value >= Level.SEVERE.intValue()) {
            return "error";
        }
        if (value >= Level.WARNING.intValue()) {
            return "warn";
        }
        if (value >= Level.INFO.intValue()) {
            return "info";
        }
        return value >= Level.FINE.intValue() ? "debug" : "trace";
    }
}
