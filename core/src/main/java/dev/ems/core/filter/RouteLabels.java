package dev.ems.core.filter;

import dev.ems.core.http.RequestContext;
import io.helidon.common.parameters.Parameters;
import io.helidon.webserver.http.RoutingRequest;
import java.util.Set;

/**
 * A request's method and route as labels of bounded number (metrics) and as span names (tracing): the route template
 * ({@code /api/v1/users/{id}}), never the raw path, and a method outside HTTP's own set as {@code other}.
 */
final class RouteLabels {
    static final String UNMATCHED = "unmatched";
    static final String OTHER_METHOD = "other";
    private static final Set<String> METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");

    private RouteLabels() {}

    /**
     * The route a request was served by, read after it was: {@link #UNMATCHED} when no route matched, else the template
     * of {@code rawPath} (read before routing, which rewrites the request's path).
     */
    static String served(String rawPath, RoutingRequest req, RequestContext ctx) {
        return ctx != null && ctx.unmatchedRoute()
                ? UNMATCHED
                : route(rawPath, req.path().pathParameters());
    }

    /** The method as a label: one of HTTP's own, else {@code other}. */
    static String method(String method) {
        return METHODS.contains(method) ? method : OTHER_METHOD;
    }

    /** The raw path with each path-parameter value put back as its {@code {name}}, matched from the right. */
    static String route(String rawPath, Parameters params) {
        if (params.isEmpty()) {
            return rawPath;
        }
        String[] segments = rawPath.split("/", -1);
        for (String name : params.names()) {
            String value = params.first(name).orElse(null);
            for (int i = segments.length - 1; i >= 0; i--) {
                if (segments[i].equals(value) || decodedEquals(segments[i], value)) {
                    segments[i] = "{" + name + "}";
                    break;
                }
            }
        }
        return String.join("/", segments);
    }

    private static boolean decodedEquals(String segment, String value) {
        if (value == null || segment.indexOf('%') < 0) {
            return false;
        }
        try {
            return java.net.URLDecoder.decode(segment, java.nio.charset.StandardCharsets.UTF_8)
                    .equals(value);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
