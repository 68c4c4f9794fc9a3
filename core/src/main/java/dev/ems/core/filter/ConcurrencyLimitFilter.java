package dev.ems.core.filter;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

import dev.ems.core.http.ApiException;
import dev.ems.core.http.ErrorCode;
import dev.ems.core.http.ErrorHandlers;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Bounds the API requests in progress at once. Virtual threads make accepting work free, so without a bound an
 * overload piles up in front of the connection pool until every request times out; with it, the excess is
 * answered at once with 503 SERVICE_UNAVAILABLE and Retry-After, and the service recovers as soon as the load
 * drops. Health, metrics and OpenAPI are not limited.
 */
public final class ConcurrencyLimitFilter implements Filter {
    private final Semaphore permits;

    public ConcurrencyLimitFilter(int maxConcurrentRequests) {
        this.permits = new Semaphore(maxConcurrentRequests);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (ObservePaths.isObserve(req.path().absolute().path())) {
            chain.proceed();
            return;
        }
        if (!permits.tryAcquire()) {
            ErrorHandlers.respond(req, res, new ApiException(ErrorCode.SERVICE_UNAVAILABLE,
                                                             "the service is at capacity, retry shortly",
                                                             List.of(), Map.of("Retry-After", "1")));
            return;
        }
        try {
            chain.proceed();
        } finally {
            permits.release();
        }
    }
}
