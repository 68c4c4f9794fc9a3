package dev.ems.user;

import dev.ems.core.audit.AuditTrail;
import dev.ems.core.auth.Caller;
import dev.ems.core.db.DbErrors;
import dev.ems.core.db.Tx;
import dev.ems.core.http.ApiException;
import dev.ems.core.http.CommonErrorCode;
import dev.ems.core.http.FieldError;
import dev.ems.core.http.KeysetPage;
import dev.ems.core.http.KeysetRequest;
import dev.ems.core.http.Page;
import dev.ems.core.http.PageRequest;
import dev.ems.core.http.Preconditions.IfMatch;
import dev.ems.core.http.RequestOrigin;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The rules of users: valid fields and defaults ({@link UserValidation}), case-insensitive unique email among live users, optimistic
 * concurrency (If-Match against the version), soft delete, and an audit event for every change, written in the
 * change's own transaction. A write locks the user's row first, so writers of one user queue up and each sees the
 * state the previous one left (nothing is overwritten unseen, and the audit's "before" is exact).
 */
public final class UserService {
    static final String ENTITY = "user";
    /** The unique index of live users' subjects (V2__user_subject.sql). */
    private static final String SUBJECT_UNIQUE = "users_subject_live_uk";
    /** Keyset pages ({@code limit}) follow the numbered pages' size rule: 1..100, default 10. */
    static final int DEFAULT_LIMIT = PageRequest.DEFAULT_PAGE_SIZE;

    static final int MAX_LIMIT = PageRequest.MAX_PAGE_SIZE;

    private final DbClient db;
    private final UserRepository repository;
    private final AuditTrail audit;

    public UserService(DbClient db, UserRepository repository, AuditTrail audit) {
        this.db = db;
        this.repository = repository;
        this.audit = audit;
    }

    public User create(UserRequest request, RequestOrigin origin) {
        UserAccess.requireAdmin(origin.caller());
        UserRequest user = UserValidation.validated(request);
        return write(tx -> {
            User created = repository.insert(tx, user);
            audit.created(tx, origin, ENTITY, created.id(), created);
            return created;
        });
    }

    public User get(UUID id, Caller caller) {
        UserAccess.requireMayRead(caller);
        User user = repository.find(id).orElseThrow(() -> ApiException.notFound("user"));
        UserAccess.requireMayRead(caller, user);
        return user;
    }

    /** A numbered page with the total count (costs a count, and O(offset) to reach a deep page). */
    public Page<User> list(UserQuery query, PageRequest page, Caller caller) {
        UserAccess.requireAdmin(caller);
        return Page.of(page, () -> repository.count(query), p -> repository.list(query, p));
    }

    /** A keyset page: the users after the cursor's position, and the next cursor when there may be more; no count. */
    public KeysetPage<User, UserCursor> list(UserQuery query, KeysetRequest<UserCursor> page, Caller caller) {
        UserAccess.requireAdmin(caller);
        return KeysetPage.of(repository.listAfter(query, page.after(), page.rowsToRead()), page, UserCursor::after);
    }

    /**
     * PUT: every client field replaced; absent optional fields take their defaults, as on create. For a caller who may
     * not change them, absent privileged fields (role, status, subject) keep their values.
     */
    public User replace(UUID id, UserRequest request, Optional<IfMatch> ifMatch, RequestOrigin origin) {
        Caller caller = origin.caller();
        UserAccess.requireMayChange(caller);
        if (UserAccess.mayChangePrivilegedFields(caller)) {
            UserRequest user = UserValidation.validated(request);
            return write(tx -> change(tx, origin, id, ifMatch, current -> user));
        }
        return write(tx -> change(
                tx,
                origin,
                id,
                ifMatch,
                current -> UserValidation.validated(new UserRequest(
                        request.email(),
                        request.firstName(),
                        request.lastName(),
                        request.phone(),
                        request.role() == null ? current.role() : request.role(),
                        request.status() == null ? current.status() : request.status(),
                        request.subject() == null ? current.subject() : request.subject()))));
    }

    /** PATCH (JSON merge patch): only the fields present change; {@code phone: null} removes the phone. */
    public User patch(
            UUID id, UserRequest values, Set<String> present, Optional<IfMatch> ifMatch, RequestOrigin origin) {
        UserAccess.requireMayChange(origin.caller());
        return write(tx -> change(
                tx,
                origin,
                id,
                ifMatch,
                current -> UserValidation.validated(new UserRequest(
                        present.contains("email") ? values.email() : current.email(),
                        present.contains("first_name") ? values.firstName() : current.firstName(),
                        present.contains("last_name") ? values.lastName() : current.lastName(),
                        present.contains("phone") ? values.phone() : current.phone(),
                        present.contains("role") ? requireNonNull(values.role(), "role") : current.role(),
                        present.contains("status") ? requireNonNull(values.status(), "status") : current.status(),
                        present.contains("subject") ? values.subject() : current.subject()))));
    }

    public void delete(UUID id, Optional<IfMatch> ifMatch, RequestOrigin origin) {
        UserAccess.requireAdmin(origin.caller());
        write(tx -> {
            User current = locked(tx, id, ifMatch, origin.caller());
            repository.delete(tx, id);
            audit.deleted(tx, origin, ENTITY, id, current);
            return current;
        });
    }

    /**
     * Locks the user, checks that the caller may change it and If-Match, applies {@code change}, checks the result is
     * the caller's to make; a change that changes nothing writes nothing.
     */
    private User change(
            DbTransaction tx,
            RequestOrigin origin,
            UUID id,
            Optional<IfMatch> ifMatch,
            Function<User, UserRequest> change) {
        User current = locked(tx, id, ifMatch, origin.caller());
        UserRequest next = change.apply(current);
        UserAccess.requireMayChange(origin.caller(), current, next);
        if (next.equals(fields(current))) {
            return current;
        }
        User updated = repository.update(tx, id, next);
        audit.updated(tx, origin, "update", ENTITY, id, current, updated);
        return updated;
    }

    /** The live user, locked; a record the caller may not see is missing, before If-Match can tell it exists. */
    private User locked(DbTransaction tx, UUID id, Optional<IfMatch> ifMatch, Caller caller) {
        User current = repository.lock(tx, id).orElseThrow(() -> ApiException.notFound("user"));
        UserAccess.requireMayRead(caller, current);
        ifMatch.ifPresent(m -> m.check(current.version()));
        return current;
    }

    /** Runs a write in one transaction; a duplicate email or subject, from whichever statement, is 409. */
    private <T> T write(Function<DbTransaction, T> work) {
        try {
            return Tx.inTransaction(db, work);
        } catch (RuntimeException e) {
            if (DbErrors.isUniqueViolation(e)) {
                boolean subject =
                        DbErrors.constraint(e).filter(SUBJECT_UNIQUE::equals).isPresent();
                throw new ApiException(
                        CommonErrorCode.CONFLICT,
                        subject ? "another user already has this subject" : "a user with this email already exists",
                        List.of(new FieldError(subject ? "subject" : "email", "is already in use")),
                        Map.of());
            }
            throw e;
        }
    }

    private static UserRequest fields(User user) {
        return new UserRequest(
                user.email(),
                user.firstName(),
                user.lastName(),
                user.phone(),
                user.role(),
                user.status(),
                user.subject());
    }

    private static String requireNonNull(String value, String field) {
        if (value == null) {
            throw ApiException.validation(List.of(new FieldError(field, "must not be null")));
        }
        return value;
    }
}
