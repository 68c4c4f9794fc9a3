package dev.ems.core.filter;

import dev.ems.core.http.RequestContext;
import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.webserver.cors.CorsSupport;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * CORS by Helidon's {@link CorsSupport} (the rules, preflight and header logic are Helidon's), run as a filter so it
 * covers every response, and with its headers kept for error responses, which a browser could not read otherwise.
 */
public final class CorsFilter implements Filter {
    private static final System.Logger LOGGER = System.getLogger(CorsFilter.class.getName());
    private static final String EXPOSE_HEADERS = "X-Request-ID,ETag,Location,Retry-After,Idempotent-Replayed";
    private final CorsSupport cors;
    private final List<String> allowedOrigins;
    private final boolean anyOrigin;

    private CorsFilter(CorsSupport cors, List<String> allowedOrigins) {
        this.cors = cors;
        this.allowedOrigins = List.copyOf(allowedOrigins);
        this.anyOrigin = allowedOrigins.contains("*");
    }

    /**
     * From a service's {@code cors} settings: {@code allowed-origins}, comma-separated (so that one environment
     * variable carries the whole list); {@code *} allows any origin, but then never with credentials.
     */
    public static CorsFilter create(Config cors) {
        List<String> origins = cors.get("allowed-origins")
                .asString()
                .map(v -> Arrays.stream(v.split(","))
                        .map(String::trim)
                        .filter(o -> !o.isEmpty())
                        .toList())
                .orElse(List.of());
        LOGGER.log(System.Logger.Level.INFO, "CORS allowed origins: " + origins);
        return create(origins);
    }

    /**
     * @param allowedOrigins origins allowed to call the API; {@code *} allows any origin but then never with credentials
     */
    static CorsFilter create(List<String> allowedOrigins) {
        boolean anyOrigin = allowedOrigins.contains("*");
        Config config = Config.just(io.helidon.config.ConfigSources.create(java.util.Map.of(
                "paths.0.path-pattern", "/{+}",
                "paths.0.allow-origins", String.join(",", allowedOrigins),
                "paths.0.allow-methods", "GET,POST,PUT,PATCH,DELETE,OPTIONS",
                "paths.0.allow-headers", "Content-Type,Authorization,X-Request-ID,If-Match,Idempotency-Key",
                "paths.0.expose-headers", EXPOSE_HEADERS,
                "paths.0.allow-credentials", String.valueOf(!anyOrigin),
                "paths.0.max-age", "600")));
        return new CorsFilter(
                CorsSupport.builder().name("ems-cors").mappedConfig(config).build(), allowedOrigins);
    }

    /**
     * The CORS headers of an actual (not preflight) response, for the few answers the server writes before
     * routing, where CorsSupport cannot run (a Content-Length over the body limit).
     */
    public void addResponseHeaders(Optional<String> origin, ServerResponseHeaders headers) {
        if (origin.isEmpty() || !(anyOrigin || allowedOrigins.contains(origin.get()))) {
            return;
        }
        headers.set(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, anyOrigin ? "*" : origin.get());
        if (!anyOrigin) {
            headers.set(HeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
            headers.set(HeaderNames.VARY, "Origin");
        }
        headers.set(HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSE_HEADERS);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (req.headers().contains(HeaderNames.ORIGIN)) {
            cors.handle(req, res);
            if (res.isSent()) {
                return; // a preflight, answered (or refused) by CorsSupport
            }
            RequestContext.of(req)
                    .ifPresent(ctx -> res.headers().stream()
                            .filter(h -> h.name().regionMatches(true, 0, "Access-Control-", 0, 15)
                                    || h.name().equalsIgnoreCase("Vary"))
                            .forEach(h -> ctx.keepHeader(res, h.headerName(), h.get())));
        }
        chain.proceed();
    }
}
