package dev.ems.user;

import dev.ems.core.auth.Caller;
import dev.ems.core.http.ApiException;
import dev.ems.core.http.CommonErrorCode;
import java.util.Objects;

/**
 * Who may do what with user records, decided from the verified caller:
 * <ul>
 *   <li>{@code admin}: everything;
 *   <li>{@code user}: its own record only (the one whose {@code subject} is its token's {@code sub}): read it, replace
 *       or patch it without changing {@code role}, {@code status} or {@code subject}; any other record is "not found",
 *       so that a user learns nothing of records it does not own; creating, listing and deleting are forbidden;
 *   <li>{@code service}: read a user by id (order-service checks the user of an order);
 *   <li>{@code auditor}, and a caller without an EMS role: nothing.
 * </ul>
 */
final class UserAccess {
    private UserAccess() {}

    /** Creating, listing, deleting: admins only. */
    static void requireAdmin(Caller caller) {
        if (!caller.has(Caller.Role.ADMIN)) {
            throw forbidden();
        }
    }

    /** Before the record is looked up: may this caller read users at all? */
    static void requireMayRead(Caller caller) {
        if (!(caller.has(Caller.Role.ADMIN) || caller.has(Caller.Role.SERVICE) || caller.has(Caller.Role.USER))) {
            throw forbidden();
        }
    }

    /** After the lookup: a user reads its own record only; another's is answered as missing. */
    static void requireMayRead(Caller caller, User user) {
        if (!(caller.has(Caller.Role.ADMIN) || caller.has(Caller.Role.SERVICE)) && !owns(caller, user)) {
            throw ApiException.notFound("user");
        }
    }

    /** Before the record is looked up: may this caller change users at all? */
    static void requireMayChange(Caller caller) {
        if (!(caller.has(Caller.Role.ADMIN) || caller.has(Caller.Role.USER))) {
            throw forbidden();
        }
    }

    /**
     * After the lookup: a user changes its own record only (another's is missing), and none of the privileged fields.
     */
    static void requireMayChange(Caller caller, User current, UserRequest next) {
        if (caller.has(Caller.Role.ADMIN)) {
            return;
        }
        if (!owns(caller, current)) {
            throw ApiException.notFound("user");
        }
        if (!current.role().equals(next.role())
                || !current.status().equals(next.status())
                || !Objects.equals(current.subject(), next.subject())) {
            throw new ApiException(CommonErrorCode.FORBIDDEN, "only an admin may change role, status or subject");
        }
    }

    /** Whether {@code caller} may set the privileged fields (else an absent one keeps its current value on PUT). */
    static boolean mayChangePrivilegedFields(Caller caller) {
        return caller.has(Caller.Role.ADMIN);
    }

    private static boolean owns(Caller caller, User user) {
        return caller.has(Caller.Role.USER) && caller.subject().equals(user.subject());
    }

    private static ApiException forbidden() {
        return new ApiException(CommonErrorCode.FORBIDDEN, "your roles do not allow this");
    }
}
