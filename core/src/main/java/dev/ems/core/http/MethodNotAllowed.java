package dev.ems.core.http;

import io.helidon.webserver.http.Handler;
import java.util.List;
import java.util.Map;

/**
 * Helidon answers an unregistered method with 404; EMS answers 405 with {@code Allow}. Register it last for a path:
 * {@code rules.any("/{id}", MethodNotAllowed.allow("GET", "PUT", "PATCH", "DELETE"))}.
 */
public final class MethodNotAllowed {
    private MethodNotAllowed() {}

    public static Handler allow(String... methods) {
        return allowBecause("", methods);
    }

    /** As {@link #allow}, telling the client why ({@code reason} ends the message). */
    public static Handler allowBecause(String reason, String... methods) {
        String allow = String.join(", ", methods);
        return (req, res) -> {
            throw new ApiException(
                    CommonErrorCode.METHOD_NOT_ALLOWED,
                    "method " + req.prologue().method().text() + " is not allowed here; allowed: " + allow
                            + (reason.isEmpty() ? "" : ". " + reason),
                    List.of(),
                    Map.of("Allow", allow));
        };
    }
}
