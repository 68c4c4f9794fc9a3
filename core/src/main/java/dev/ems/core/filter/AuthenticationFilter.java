package dev.ems.core.filter;

import dev.ems.core.auth.Caller;
import dev.ems.core.auth.InvalidTokenException;
import dev.ems.core.auth.IssuerUnavailableException;
import dev.ems.core.auth.TokenVerifier;
import dev.ems.core.http.ApiException;
import dev.ems.core.http.CommonErrorCode;
import dev.ems.core.http.ErrorHandlers;
import dev.ems.core.http.RequestContext;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every request under {@code /api/} must carry a verified bearer token ({@code Authorization: Bearer <JWT>}). This
 * filter identifies the caller: its {@link Caller} goes into the request's context, where the routes take it from, or,
 * when there is none, the reason. {@link #requireCaller()}, later in the filter table, refuses a request without a
 * caller, so that the rate limit between the two counts refused requests against their address. Without a token: 401
 * UNAUTHORIZED and {@code WWW-Authenticate: Bearer realm="ems"}; with a bad one, the same plus {@code
 * error="invalid_token"} (RFC 6750). Nothing of the token is echoed or logged. When the issuer's keys cannot be
 * fetched, 503: the issuer's outage is not the caller's fault. Health, metrics and OpenAPI stay open (probes and
 * scrapers).
 */
public final class AuthenticationFilter implements Filter {
    private static final System.Logger LOGGER = System.getLogger(AuthenticationFilter.class.getName());
    private static final String CHALLENGE = "Bearer realm=\"ems\"";
    private static final String BEARER = "bearer ";

    private final TokenVerifier verifier;

    public AuthenticationFilter(TokenVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (protectedPath(req)) {
            RequestContext.of(req).ifPresent(ctx -> identify(req, ctx));
        }
        chain.proceed();
    }

    /** Refuses a request under {@code /api/} without a verified caller, for the reason {@link #filter} found. */
    public static Filter requireCaller() {
        return (chain, req, res) -> {
            if (protectedPath(req)) {
                Optional<RequestContext> ctx = RequestContext.of(req);
                if (ctx.flatMap(RequestContext::caller).isEmpty()) {
                    ErrorHandlers.respond(
                            req,
                            res,
                            ctx.flatMap(RequestContext::authenticationRefusal)
                                    .orElseGet(() -> unauthorized("a bearer token is required", CHALLENGE)));
                    return;
                }
            }
            chain.proceed();
        };
    }

    private void identify(RoutingRequest req, RequestContext ctx) {
        Optional<String> token = bearerToken(req);
        if (token.isEmpty()) {
            ctx.authenticationRefusal(unauthorized("a bearer token is required", CHALLENGE));
            return;
        }
        try {
            ctx.caller(verifier.verify(token.get()));
        } catch (InvalidTokenException e) {
            LOGGER.log(System.Logger.Level.DEBUG, "bearer token refused: " + e.getMessage());
            ctx.authenticationRefusal(
                    unauthorized("the bearer token is invalid or expired", CHALLENGE + ", error=\"invalid_token\""));
        } catch (IssuerUnavailableException e) {
            LOGGER.log(System.Logger.Level.WARNING, e.getMessage());
            ctx.authenticationRefusal(new ApiException(
                    CommonErrorCode.SERVICE_UNAVAILABLE,
                    "the token issuer is unavailable, retry later",
                    List.of(),
                    Map.of("Retry-After", "5")));
        }
    }

    private static boolean protectedPath(RoutingRequest req) {
        return req.path().absolute().path().startsWith("/api/");
    }

    /** The token of an {@code Authorization: Bearer} header (the scheme's case does not matter), if there is one. */
    private static Optional<String> bearerToken(RoutingRequest req) {
        return req.headers()
                .first(HeaderNames.AUTHORIZATION)
                .filter(value -> value.length() > BEARER.length()
                        && value.substring(0, BEARER.length())
                                .toLowerCase(Locale.ROOT)
                                .equals(BEARER))
                .map(value -> value.substring(BEARER.length()).strip())
                .filter(value -> !value.isEmpty());
    }

    private static ApiException unauthorized(String message, String challenge) {
        return new ApiException(
                CommonErrorCode.UNAUTHORIZED, message, List.of(), Map.of("WWW-Authenticate", challenge));
    }
}
