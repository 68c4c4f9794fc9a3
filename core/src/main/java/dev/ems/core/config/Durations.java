package dev.ems.core.config;

import io.helidon.config.Config;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them in the environment ({@code 30s}, {@code 500ms}, {@code 1m30s}, {@code 2h}),
 * as plain seconds ({@code 30}), or in ISO-8601 ({@code PT30S}), which Helidon's own parser alone accepts.
 */
public final class Durations {
    private static final Pattern GO_PART = Pattern.compile("(\\d+)(ms|s|m|h)");

    private Durations() {}

    /**
     * The duration a setting holds. Its default lives in {@code application.yaml}, so a setting that is absent or not a
     * duration stops the start with a line that names the environment variable to fix.
     */
    public static Duration of(Config setting) {
        String key = setting.key().toString();
        String text = setting.asString()
                .orElseThrow(
                        () -> new StartupException(key + " is not set (" + EnvironmentVariables.forKey(key) + ")"));
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new StartupException(EnvironmentVariables.forKey(key) + " is not a duration: '" + text
                    + "' (write 30s, 500ms, 1m30s, 30 or PT30S)");
        }
    }

    public static Duration parse(String text) {
        String value = text.trim();
        if (value.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        if (value.toUpperCase(Locale.ROOT).startsWith("PT")
                || value.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not a duration: '" + text + "'", e);
            }
        }
        Matcher m = GO_PART.matcher(value);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(
                    switch (m.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        default -> Duration.ofHours(n);
                    });
            end = m.end();
        }
        if (end == 0 || end != value.length()) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (use e.g. 30s, 500ms, 1m or PT30S)");
        }
        return total;
    }
}
