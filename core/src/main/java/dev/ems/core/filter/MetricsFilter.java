package dev.ems.core.filter;

import dev.ems.core.http.ErrorCode;
import dev.ems.core.http.RequestContext;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Timer;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The request metrics every service exports (the dashboards and alert rules use them):
 * {@code {service}_requests_total{method,path,status}}, {@code {service}_request_duration_seconds{method,path}} (a
 * histogram, so quantiles aggregate across replicas) and {@code {service}_errors_total{type}}. The path label is the
 * route template ({@code /api/v1/users/{id}}), every unmatched path shares the label {@code unmatched}, and a method
 * outside HTTP's own set is {@code other}, so the number of series stays bounded whatever clients send.
 * Meters are looked up lazily: Helidon may replace the global registry while the server is built.
 */
public final class MetricsFilter implements Filter {
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)
    };

    private final String prefix;
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();

    /** @param service the service name, e.g. {@code user-service}, which becomes the prefix {@code user_service_} */
    public MetricsFilter(String service) {
        this.prefix = service.replace('-', '_') + "_";
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String rawPath = req.path().absolute().path();
        if (ObservePaths.isObserve(rawPath)) {
            chain.proceed();
            return;
        }
        long start = System.nanoTime();
        String method = RouteLabels.method(req.prologue().method().text());
        try {
            chain.proceed();
        } finally {
            long nanos = System.nanoTime() - start;
            RequestContext ctx = RequestContext.of(req).orElse(null);
            String path = RouteLabels.served(rawPath, req, ctx);
            count(
                    method,
                    path,
                    res.status().code(),
                    ctx == null ? null : ctx.errorCode().orElse(null));
            durations
                    .computeIfAbsent(
                            method + ' ' + path,
                            k -> Metrics.globalRegistry()
                                    .getOrCreate(Timer.builder(prefix + "request_duration_seconds")
                                            .description("HTTP request duration by method and route")
                                            .buckets(BUCKETS)
                                            .tags(Metrics.tags("method", method, "path", path))))
                    .record(Duration.ofNanos(nanos));
        }
    }

    /**
     * Counts a request the server answered before routing (a request target too long, broken framing), which no
     * filter sees: under the path {@code unmatched}, with its error code.
     */
    public void countRejected(String method, int status, ErrorCode code) {
        count(RouteLabels.method(method), RouteLabels.UNMATCHED, status, code);
    }

    private void count(String method, String path, int statusCode, ErrorCode code) {
        String status = String.valueOf(statusCode);
        requests.computeIfAbsent(
                        method + ' ' + path + ' ' + status,
                        k -> Metrics.globalRegistry()
                                .getOrCreate(Counter.builder(prefix + "requests_total")
                                        .description("HTTP requests by method, route and status")
                                        .tags(Metrics.tags("method", method, "path", path, "status", status))))
                .increment();
        if (code != null) {
            errors.computeIfAbsent(
                            code.name(),
                            k -> Metrics.globalRegistry()
                                    .getOrCreate(Counter.builder(prefix + "errors_total")
                                            .description("Error responses by error code")
                                            .tags(Metrics.tags("type", k))))
                    .increment();
        }
    }
}
