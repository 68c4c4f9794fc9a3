package dev.ems.core.http;

import dev.ems.core.auth.Caller;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the filters learn about a request and the later stages need, kept in the request's Helidon context: its id,
 * the error code it ended with, whether a route matched, the response headers that must survive an error, and
 * whether its connection must close. Handlers pass on what the layers below need as a {@link RequestOrigin}.
 * <p>
 * Helidon clears all response headers before an error handler runs; {@link #reapplyHeaders} puts back the ones
 * registered here (X-Request-ID, CORS), so error responses carry them too.
 */
public final class RequestContext {
    public static final HeaderName REQUEST_ID = HeaderNames.create("X-Request-ID");
    private final String requestId;
    private final String clientAddress;
    private final String userAgent;
    private final List<Header> survivingHeaders = new CopyOnWriteArrayList<>();
    private volatile ErrorCode errorCode;
    private volatile boolean unmatchedRoute;
    private volatile boolean closeConnection;
    private volatile Caller caller;
    private volatile ApiException authenticationRefusal;

    private RequestContext(String requestId, String clientAddress, String userAgent) {
        this.requestId = requestId;
        this.clientAddress = clientAddress;
        this.userAgent = userAgent;
    }

    /** Creates the context of a request (done once, by the request id filter). */
    public static RequestContext start(ServerRequest req, String requestId) {
        RequestContext ctx = new RequestContext(
                requestId,
                req.remotePeer().host(),
                req.headers()
                        .first(HeaderNames.USER_AGENT)
                        .map(ua -> ua.length() > 512 ? ua.substring(0, 512) : ua)
                        .orElse(null));
        req.context().register(RequestContext.class, ctx);
        return ctx;
    }

    public static Optional<RequestContext> of(ServerRequest req) {
        return req.context().get(RequestContext.class, RequestContext.class);
    }

    public String requestId() {
        return requestId;
    }

    public String clientAddress() {
        return clientAddress;
    }

    /** The User-Agent header, cut to 512 characters, or null. */
    public String userAgent() {
        return userAgent;
    }

    /** Sets a header now and keeps it for an error response. */
    public void keepHeader(ServerResponse res, HeaderName name, String value) {
        res.header(name, value);
        survivingHeaders.add(new Header(name, value));
    }

    public void reapplyHeaders(ServerResponse res) {
        survivingHeaders.forEach(h -> res.header(h.name(), h.value()));
    }

    /** The caller the authentication filter verified; empty outside {@code /api/}. */
    public Optional<Caller> caller() {
        return Optional.ofNullable(caller);
    }

    public void caller(Caller verified) {
        this.caller = verified;
    }

    /** Why the request has no {@link #caller()} (no token, a bad one, the issuer unreachable), if it has none. */
    public Optional<ApiException> authenticationRefusal() {
        return Optional.ofNullable(authenticationRefusal);
    }

    public void authenticationRefusal(ApiException refusal) {
        this.authenticationRefusal = refusal;
    }

    public Optional<ErrorCode> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    void errorCode(ErrorCode code) {
        this.errorCode = code;
    }

    public boolean unmatchedRoute() {
        return unmatchedRoute;
    }

    void markUnmatchedRoute() {
        this.unmatchedRoute = true;
    }

    /**
     * The rest of the connection cannot be trusted (its framing is broken, its body cut off): it is closed once the
     * answer is out ({@code RequestIdFilter}). Helidon 4.1.7 only sends {@code Connection: close} and goes on reading.
     */
    public void closeConnection() {
        this.closeConnection = true;
    }

    public boolean closesConnection() {
        return closeConnection;
    }

    private record Header(HeaderName name, String value) {}
}
