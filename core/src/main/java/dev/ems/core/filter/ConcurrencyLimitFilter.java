package dev.ems.core.filter;

import dev.ems.core.http.ApiException;
import dev.ems.core.http.CommonErrorCode;
import dev.ems.core.http.ErrorHandlers;
import io.helidon.config.Config;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Bounds the requests in progress at once. Virtual threads make accepting work free, so without a bound an
 * overload piles up in front of the connection pool until every request times out; with it, the excess is
 * answered at once with 503 SERVICE_UNAVAILABLE and Retry-After, and the service recovers as soon as the load
 * drops.
 * <p>
 * The bound is fair: one client address holds at most its share (beyond it: 429 RATE_LIMIT_EXCEEDED), so a client
 * that holds requests open (a slow body) cannot take every slot from the others. The operational endpoints (health,
 * metrics, OpenAPI) have a small budget of their own, so a flood of them cannot starve the API, nor the API them:
 * probes still answer while the API sheds load.
 */
public final class ConcurrencyLimitFilter implements Filter {
    private final Budget api;
    private final Budget observe;

    ConcurrencyLimitFilter(Budget api, Budget observe) {
        this.api = api;
        this.observe = observe;
    }

    /**
     * From a service's settings: {@code max-concurrent-requests} and {@code max-concurrent-requests-per-client} for
     * the API, the same under {@code observe} for the operational endpoints. Unset, a client's share is half the
     * total: the user client of one order-service (its bulkhead allows 32 calls) fits in user-service's default share.
     */
    public static ConcurrencyLimitFilter create(Config settings) {
        return new ConcurrencyLimitFilter(budget(settings), budget(settings.get("observe")));
    }

    private static Budget budget(Config settings) {
        int total = settings.get("max-concurrent-requests").asInt().get();
        return new Budget(
                total,
                settings.get("max-concurrent-requests-per-client").asInt().orElse(Math.max(1, total / 2)));
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Budget budget = ObservePaths.isObserve(req.path().absolute().path()) ? observe : api;
        String client = req.remotePeer().host();
        if (!budget.enter(client)) {
            ErrorHandlers.respond(
                    req,
                    res,
                    new ApiException(
                            CommonErrorCode.RATE_LIMIT_EXCEEDED,
                            "too many requests in progress from this client",
                            List.of(),
                            Map.of("Retry-After", "1")));
            return;
        }
        try {
            if (!budget.permits.tryAcquire()) {
                ErrorHandlers.respond(
                        req,
                        res,
                        new ApiException(
                                CommonErrorCode.SERVICE_UNAVAILABLE,
                                "the service is at capacity, retry shortly",
                                List.of(),
                                Map.of("Retry-After", "1")));
                return;
            }
            try {
                chain.proceed();
            } finally {
                budget.permits.release();
            }
        } finally {
            budget.leave(client);
        }
    }

    /** Requests in progress: at most {@code total}, at most {@code perClient} of them from one address. */
    static final class Budget {
        private final Semaphore permits;
        private final int perClient;
        /** Only clients with a request in progress, so it never holds more entries than requests in progress. */
        private final Map<String, Integer> inProgress = new ConcurrentHashMap<>();

        Budget(int total, int perClient) {
            this.permits = new Semaphore(total);
            this.perClient = perClient;
        }

        /** Counts a request of {@code client} in; false (and nothing counted) when the client is at its share. */
        boolean enter(String client) {
            if (inProgress.merge(client, 1, Integer::sum) <= perClient) {
                return true;
            }
            leave(client);
            return false;
        }

        void leave(String client) {
            inProgress.computeIfPresent(client, (k, n) -> n == 1 ? null : n - 1);
        }

        int clients() {
            return inProgress.size();
        }
    }
}
