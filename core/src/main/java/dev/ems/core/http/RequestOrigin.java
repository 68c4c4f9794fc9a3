package dev.ems.core.http;

import io.helidon.webserver.http.ServerRequest;

/**
 * Where a change comes from: the request's id, who acts, the client's address and user agent. A handler takes it
 * from its request ({@link #of}) and passes it down with the change, to the audit trail and to calls to other
 * services; work outside a request (a background job) is {@link #SYSTEM}.
 */
public record RequestOrigin(String requestId, String actor, String clientAddress, String userAgent) {
    public static final RequestOrigin SYSTEM = new RequestOrigin(null, "system", null, null);

    /** The origin of the request {@code req} (its id and actor from the request id filter's context). */
    public static RequestOrigin of(ServerRequest req) {
        return RequestContext.of(req)
                .map(ctx -> new RequestOrigin(ctx.requestId(), ctx.actor(), ctx.clientAddress(), ctx.userAgent()))
                .orElse(SYSTEM);
    }
}
