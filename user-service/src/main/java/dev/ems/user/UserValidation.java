package dev.ems.user;

import dev.ems.core.http.ApiException;
import dev.ems.core.http.FieldError;
import dev.ems.core.http.Fields;
import dev.ems.core.http.WireEnums;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a valid user is: a plausible email of at most 254 characters, first and last names of 1..100 characters
 * without control characters, an optional E.164 phone, a known role and status (by default user and active), an
 * optional subject of 1..255 characters without control characters. Every field is checked, so one answer lists every
 * error.
 */
final class UserValidation {
    static final int MAX_EMAIL_LENGTH = 254;
    static final int MAX_NAME_LENGTH = 100;
    static final int MAX_SUBJECT_LENGTH = 255;
    /** A pragmatic address check: one @, no spaces, a dotted domain of valid labels ending in a 2+ letter TLD. */
    private static final Pattern EMAIL = Pattern.compile(
            "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}$");
    /** E.164: a plus, a non-zero country digit, at most 15 digits in all. */
    private static final Pattern E164 = Pattern.compile("^\\+[1-9][0-9]{1,14}$");

    private static final Set<String> ROLES = WireEnums.wireValues(Role.class);
    private static final Set<String> STATUSES = WireEnums.wireValues(UserStatus.class);

    private UserValidation() {}

    /** Checks every field (all errors at once) and returns the normalised request with defaults applied. */
    static UserRequest validated(UserRequest in) {
        List<FieldError> errors = new ArrayList<>();
        String email = trim(in.email());
        if (email == null || email.isEmpty()) {
            errors.add(new FieldError("email", "is required"));
        } else if (email.length() > MAX_EMAIL_LENGTH) {
            errors.add(new FieldError("email", "must be at most " + MAX_EMAIL_LENGTH + " characters"));
        } else if (!EMAIL.matcher(email).matches()) {
            errors.add(new FieldError("email", "must be a valid email address"));
        }
        String firstName = name(in.firstName(), "first_name", errors);
        String lastName = name(in.lastName(), "last_name", errors);
        String phone = in.phone() == null ? null : in.phone().trim();
        if (phone != null && !E164.matcher(phone).matches()) {
            errors.add(new FieldError("phone", "must be an E.164 number such as +14155550123"));
        }
        String role = in.role() == null ? WireEnums.wire(Role.USER) : in.role();
        if (!ROLES.contains(role)) {
            errors.add(new FieldError("role", "must be one of " + sorted(ROLES)));
        }
        String status = in.status() == null ? WireEnums.wire(UserStatus.ACTIVE) : in.status();
        if (!STATUSES.contains(status)) {
            errors.add(new FieldError("status", "must be one of " + sorted(STATUSES)));
        }
        String subject = in.subject() == null ? null : subject(in.subject(), errors);
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        return new UserRequest(email, firstName, lastName, phone, role, status, subject);
    }

    private static String name(String raw, String field, List<FieldError> errors) {
        int before = errors.size();
        String value = Fields.required(raw, field, MAX_NAME_LENGTH, errors);
        if (errors.size() == before && value.chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError(field, "must not contain control characters"));
        }
        return value;
    }

    /** A token's sub as it is, white space included (an issuer's subjects are opaque): only its bounds are checked. */
    private static String subject(String value, List<FieldError> errors) {
        int length = value.codePointCount(0, value.length());
        if (length == 0 || length > MAX_SUBJECT_LENGTH) {
            errors.add(new FieldError("subject", "must be 1 to " + MAX_SUBJECT_LENGTH + " characters, or null"));
        } else if (value.chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError("subject", "must not contain control characters"));
        } else {
            Fields.storable(value, "subject", errors);
        }
        return value;
    }

    private static String trim(String value) {
        return value == null ? null : value.strip();
    }

    private static String sorted(Set<String> values) {
        return String.join(", ", values.stream().sorted().toList());
    }
}
