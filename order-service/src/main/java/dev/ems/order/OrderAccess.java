package dev.ems.order;

import dev.ems.core.auth.Caller;
import dev.ems.core.http.ApiException;
import dev.ems.core.http.CommonErrorCode;
import dev.ems.core.http.RequestOrigin;
import java.util.Optional;
import java.util.UUID;

/**
 * Who may do what with orders, decided from the verified caller:
 * <ul>
 *   <li>{@code admin}: everything;
 *   <li>{@code user}: orders of its own user record (the one whose {@code subject} in user-service is its token's
 *       {@code sub}; order-service asks user-service, through {@link UserClient}): create them, read and list them,
 *       cancel one while it is pending. Another's order is "not found", another's user "no such user", so that a user
 *       learns nothing of what it does not own; replacing and deleting are forbidden;
 *   <li>{@code service}, {@code auditor}, and a caller without an EMS role: nothing.
 * </ul>
 */
final class OrderAccess {
    private final UserClient users;

    OrderAccess(UserClient users) {
        this.users = users;
    }

    /** May {@code caller} work with orders at all (create, read, list, cancel)? */
    static void requireCustomer(Caller caller) {
        if (!(caller.has(Caller.Role.ADMIN) || caller.has(Caller.Role.USER))) {
            throw forbidden("your roles do not allow this");
        }
    }

    /** Replacing and deleting orders: admins only. */
    static void requireAdmin(Caller caller) {
        if (!caller.has(Caller.Role.ADMIN)) {
            throw forbidden("your roles do not allow this");
        }
    }

    /** Whether {@code caller} sees every order, or only those of its own user record. */
    static boolean seesAll(Caller caller) {
        return caller.has(Caller.Role.ADMIN);
    }

    /** Whether the user {@code user} (as user-service describes it) is {@code caller}'s own record. */
    static boolean owns(Caller caller, UserClient.UserSummary user) {
        return seesAll(caller)
                || user.subject().filter(caller.subject()::equals).isPresent();
    }

    /** The order, if {@code caller} may see it; another's is answered as missing. */
    Order requireVisible(Order order, RequestOrigin origin) {
        if (!seesAll(origin.caller()) && !ownsUser(order.userId(), origin)) {
            throw ApiException.notFound("order");
        }
        return order;
    }

    /** Whether the user record {@code userId} is the caller's own (a user-service lookup for a non-admin). */
    boolean ownsUser(UUID userId, RequestOrigin origin) {
        if (seesAll(origin.caller())) {
            return true;
        }
        Optional<UserClient.UserSummary> user = users.find(userId, origin);
        return user.isPresent() && owns(origin.caller(), user.get());
    }

    /** A user cancels its own pending order; every other change of status is an admin's. */
    static void requireMayMove(Caller caller, Order current, OrderStatus target) {
        if (seesAll(caller)) {
            return;
        }
        if (target != OrderStatus.CANCELLED || !"pending".equals(current.status())) {
            throw forbidden("a user may only cancel its own pending order");
        }
    }

    private static ApiException forbidden(String message) {
        return new ApiException(CommonErrorCode.FORBIDDEN, message);
    }
}
