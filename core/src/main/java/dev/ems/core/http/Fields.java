package dev.ems.core.http;

import java.util.List;

/**
 * The text rules every body shares: surrounding white space is dropped, an empty text counts as absent, and
 * lengths are counted in characters (code points), so 100 emoji are 100 characters, not 200.
 */
public final class Fields {
    private Fields() {
    }

    /** A required text of at most {@code max} characters; reports to {@code errors} and returns the stripped text. */
    public static String required(String raw, String field, int max, List<FieldError> errors) {
        String value = optional(raw, field, max, errors);
        if (value == null) {
            errors.add(new FieldError(field, "is required"));
        }
        return value;
    }

    /** An optional text of at most {@code max} characters: null when absent or blank. */
    public static String optional(String raw, String field, int max, List<FieldError> errors) {
        String value = raw == null ? null : raw.strip();
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.codePointCount(0, value.length()) > max) {
            errors.add(new FieldError(field, "must be at most " + max + " characters"));
        }
        return value;
    }
}
