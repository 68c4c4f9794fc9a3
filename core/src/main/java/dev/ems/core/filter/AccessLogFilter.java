package dev.ems.core.filter;

import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Map;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * One structured JSON log line per request (method, path, status, duration_ms, client), written after the
 * response; the JSON formatter adds time, level, service and request_id.
 */
public final class AccessLogFilter implements Filter {
    private static final System.Logger LOGGER = System.getLogger("dev.ems.access");

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        String method = req.prologue().method().text();
        String path = req.path().absolute().path();
        try {
            chain.proceed();
        } finally {
            int status = res.status().code();
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("method", method);
            fields.put("path", path);
            fields.put("status", status);
            fields.put("duration_ms", (System.nanoTime() - start) / 1_000_000.0);
            fields.put("client", req.remotePeer().host());
            req.headers().first(io.helidon.http.HeaderNames.USER_AGENT).ifPresent(ua -> fields.put("user_agent", ua));
            LOGGER.log(status >= 500 ? Level.WARNING : Level.INFO, "request", fields);
        }
    }
}
