package dev.ems.core.filter;

import dev.ems.core.log.LogText;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One structured JSON log line per request (method, path, status, duration_ms, client, user_agent), written after
 * the response; the JSON formatter adds time, level, service and request_id. What the client sent is cut to a
 * bounded length, so no request can make a log line (or the log) grow with it.
 */
public final class AccessLogFilter implements Filter {
    private static final System.Logger LOGGER = System.getLogger("dev.ems.access");
    private static final int MAX_METHOD = 16;
    private static final int MAX_PATH = 256;
    private static final int MAX_USER_AGENT = 256;

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        String method = req.prologue().method().text();
        String path = req.path().absolute().path();
        try {
            chain.proceed();
        } finally {
            Map<String, Object> fields = fields(method, path, res.status().code());
            fields.put("duration_ms", (System.nanoTime() - start) / 1_000_000.0);
            fields.put("client", req.remotePeer().host());
            req.headers()
                    .first(HeaderNames.USER_AGENT)
                    .ifPresent(ua -> fields.put("user_agent", LogText.cut(ua, MAX_USER_AGENT)));
            log(fields);
        }
    }

    /** The line of a request the server answered before routing (no filter ran for it). */
    public static void logRejected(String method, String path, int status) {
        log(fields(method, path, status));
    }

    private static Map<String, Object> fields(String method, String path, int status) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("method", LogText.cut(method, MAX_METHOD));
        fields.put("path", LogText.cut(path, MAX_PATH));
        fields.put("status", status);
        return fields;
    }

    private static void log(Map<String, Object> fields) {
        LOGGER.log((int) fields.get("status") >= 500 ? Level.WARNING : Level.INFO, "request", fields);
    }
}
