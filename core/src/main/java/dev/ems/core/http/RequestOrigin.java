package dev.ems.core.http;

import dev.ems.core.auth.Caller;
import io.helidon.webserver.http.ServerRequest;

/**
 * Where a change comes from: the request's id, the verified caller, the client's address and user agent. A handler
 * takes it from its request ({@link #of}) and passes it down with the change, to the rules that decide what the
 * caller may do, to the audit trail and to calls to other services; work outside a request (a background job) is
 * {@link #system(String)}.
 */
public record RequestOrigin(String requestId, Caller caller, String clientAddress, String userAgent) {

    /** The origin of a service's own work: the actor {@code system:<service>}, no request. */
    public static RequestOrigin system(String service) {
        return new RequestOrigin(null, Caller.system(service), null, null);
    }

    /**
     * The origin of the request {@code req}: its id and the caller the authentication filter verified. A request under
     * {@code /api/} without one never gets this far; should it, it is refused rather than served anonymously.
     */
    public static RequestOrigin of(ServerRequest req) {
        RequestContext ctx = RequestContext.of(req)
                .orElseThrow(() -> new ApiException(CommonErrorCode.UNAUTHORIZED, "a bearer token is required"));
        Caller caller = ctx.caller()
                .orElseThrow(() -> new ApiException(CommonErrorCode.UNAUTHORIZED, "a bearer token is required"));
        return new RequestOrigin(ctx.requestId(), caller, ctx.clientAddress(), ctx.userAgent());
    }

    /** Who acts, for the audit trail: the verified caller's subject. */
    public String actor() {
        return caller.actor();
    }
}
