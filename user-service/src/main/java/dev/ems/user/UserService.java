package dev.ems.user;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.ems.core.db.DbErrors;
import dev.ems.core.http.ApiException;
import dev.ems.core.http.ErrorCode;
import dev.ems.core.http.FieldError;
import dev.ems.core.http.Page;
import dev.ems.core.http.PageRequest;
import dev.ems.core.http.Preconditions.IfMatch;
import dev.ems.core.http.WireEnums;

/**
 * The rules of users: validation and defaults, case-insensitive unique email among live users, optimistic
 * concurrency (If-Match against the version, checked atomically in the UPDATE), soft delete.
 */
public final class UserService {
    static final int MAX_EMAIL_LENGTH = 254;
    static final int MAX_NAME_LENGTH = 100;
    /** A pragmatic address check: one @, no spaces, a dotted domain of valid labels ending in a 2+ letter TLD. */
    private static final Pattern EMAIL = Pattern.compile(
            "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}$");
    /** E.164: a plus, a non-zero country digit, at most 15 digits in all. */
    private static final Pattern E164 = Pattern.compile("^\\+[1-9][0-9]{1,14}$");
    private static final Set<String> ROLES = WireEnums.wireValues(Role.class);
    private static final Set<String> STATUSES = WireEnums.wireValues(UserStatus.class);
    /** How often a PATCH re-applies itself when a concurrent write moved the version under it (no If-Match). */
    private static final int PATCH_ATTEMPTS = 5;

    private final UserRepository repository;

    public UserService(UserRepository repository) {
        this.repository = repository;
    }

    public User create(UserRequest request) {
        UserRequest user = validated(request);
        try {
            return repository.insert(user);
        } catch (RuntimeException e) {
            throw conflictIfDuplicateEmail(e);
        }
    }

    public User get(UUID id) {
        return repository.find(id).orElseThrow(() -> ApiException.notFound("user"));
    }

    public Page<User> list(UserQuery query, PageRequest page) {
        long total = repository.count(query);
        List<User> users = page.offset() >= total ? List.of() : repository.list(query, page);
        return new Page<>(users, page, total);
    }

    /** PUT: every client field replaced; absent optional fields take their defaults, as on create. */
    public User replace(UUID id, UserRequest request, Optional<IfMatch> ifMatch) {
        UserRequest user = validated(request);
        Long expected = expectedVersion(id, ifMatch);
        try {
            return repository.update(id, user, expected).orElseThrow(() -> notFoundOrStale(id));
        } catch (RuntimeException e) {
            throw conflictIfDuplicateEmail(e);
        }
    }

    /**
     * PATCH (JSON merge patch): only the fields present change; {@code phone: null} removes the phone.
     * Without If-Match the patch is re-applied to the newest version if another write slips in between.
     */
    public User patch(UUID id, UserRequest values, Set<String> present, Optional<IfMatch> ifMatch) {
        for (int attempt = 1; ; attempt++) {
            User current = get(id);
            ifMatch.ifPresent(m -> m.check(current.version()));
            UserRequest merged = new UserRequest(
                    present.contains("email") ? values.email() : current.email(),
                    present.contains("first_name") ? values.firstName() : current.firstName(),
                    present.contains("last_name") ? values.lastName() : current.lastName(),
                    present.contains("phone") ? values.phone() : current.phone(),
                    present.contains("role") ? requireNonNull(values.role(), "role") : current.role(),
                    present.contains("status") ? requireNonNull(values.status(), "status") : current.status());
            UserRequest user = validated(merged);
            if (user.equals(new UserRequest(current.email(), current.firstName(), current.lastName(), current.phone(),
                                            current.role(), current.status()))) {
                return current; // nothing changes: no new version
            }
            Optional<User> updated;
            try {
                updated = repository.update(id, user, current.version());
            } catch (RuntimeException e) {
                throw conflictIfDuplicateEmail(e);
            }
            if (updated.isPresent()) {
                return updated.get();
            }
            if (ifMatch.isPresent() || attempt >= PATCH_ATTEMPTS) {
                throw notFoundOrStale(id);
            }
        }
    }

    public void delete(UUID id, Optional<IfMatch> ifMatch) {
        Long expected = expectedVersion(id, ifMatch);
        if (!repository.delete(id, expected)) {
            throw notFoundOrStale(id);
        }
    }

    /**
     * The version a conditional write must find: none without If-Match (or with {@code *}), else the current
     * version after checking it against If-Match. The UPDATE re-checks it, so a write in between is never lost.
     */
    private Long expectedVersion(UUID id, Optional<IfMatch> ifMatch) {
        if (ifMatch.isEmpty() || ifMatch.get().any()) {
            return null;
        }
        User current = get(id);
        ifMatch.get().check(current.version());
        return current.version();
    }

    /** After a conditional write matched nothing: the user is gone (404) or was changed meanwhile (412). */
    private ApiException notFoundOrStale(UUID id) {
        return repository.find(id)
                .map(u -> new ApiException(ErrorCode.PRECONDITION_FAILED,
                                           "the user was changed concurrently; current version is " + u.version()))
                .orElseGet(() -> ApiException.notFound("user"));
    }

    private static RuntimeException conflictIfDuplicateEmail(RuntimeException e) {
        if (DbErrors.isUniqueViolation(e)) {
            return new ApiException(ErrorCode.CONFLICT, "a user with this email already exists",
                                    List.of(new FieldError("email", "is already in use")), java.util.Map.of());
        }
        return e;
    }

    private static String requireNonNull(String value, String field) {
        if (value == null) {
            throw ApiException.validation(List.of(new FieldError(field, "must not be null")));
        }
        return value;
    }

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
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        return new UserRequest(email, firstName, lastName, phone, role, status);
    }

    private static String name(String raw, String field, List<FieldError> errors) {
        String value = trim(raw);
        if (value == null || value.isEmpty()) {
            errors.add(new FieldError(field, "is required"));
        } else if (value.codePointCount(0, value.length()) > MAX_NAME_LENGTH) {
            errors.add(new FieldError(field, "must be at most " + MAX_NAME_LENGTH + " characters"));
        } else if (value.chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError(field, "must not contain control characters"));
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
