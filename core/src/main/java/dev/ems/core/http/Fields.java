package dev.ems.core.http;

import java.util.List;

/**
 * The text rules every body shares: surrounding white space is dropped, an empty text counts as absent,
 * lengths are counted in characters (code points), so 100 emoji are 100 characters, not 200, and a text must be
 * storable as sent ({@link #storable}).
 */
public final class Fields {
    private Fields() {}

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
        storable(value, field, errors);
        return value;
    }

    /**
     * Text that PostgreSQL can store and give back unchanged: no NUL character and no unpaired UTF-16 surrogate
     * (JSON allows both as escapes; the database refuses the first and replaces the second).
     */
    public static void storable(String value, String field, List<FieldError> errors) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                errors.add(new FieldError(field, "must not contain control characters"));
                return;
            }
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                errors.add(new FieldError(field, "must be valid Unicode (it has an unpaired surrogate)"));
                return;
            }
        }
    }
}
