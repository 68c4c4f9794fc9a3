package dev.ems.order;

import dev.ems.core.http.ApiException;
import dev.ems.core.http.FieldError;
import dev.ems.core.http.RequestOrigin;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An order's user must exist, be the caller's own unless the caller is an admin ({@link OrderAccess#owns}), and be
 * active, as user-service says (through {@link UserClient}): unknown, deleted or another's is 422 USER_NOT_FOUND (a
 * user learns nothing of records it does not own), inactive or suspended 422 USER_NOT_ACTIVE; user-service
 * unavailable is the client's 503.
 */
final class ActiveUserCheck {
    private final UserClient users;

    ActiveUserCheck(UserClient users) {
        this.users = users;
    }

    void require(UUID userId, RequestOrigin origin) {
        UserClient.UserSummary user = users.find(userId, origin)
                .filter(found -> OrderAccess.owns(origin.caller(), found))
                .orElseThrow(() -> new ApiException(
                        OrderErrorCode.USER_NOT_FOUND,
                        "user " + userId + " does not exist",
                        List.of(new FieldError("user_id", "no such user")),
                        Map.of()));
        if (!"active".equals(user.status())) {
            throw new ApiException(
                    OrderErrorCode.USER_NOT_ACTIVE,
                    "user " + userId + " is " + user.status(),
                    List.of(new FieldError("user_id", "user is " + user.status())),
                    Map.of());
        }
    }
}
