package dev.ems.core.filter;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ems.core.http.ApiException;
import dev.ems.core.http.CommonErrorCode;
import dev.ems.core.http.ErrorHandlers;
import dev.ems.core.http.RequestContext;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.helidon.config.Config;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A token bucket per caller (Bucket4j; the verified caller's subject, else the client address): {@code rate}
 * requests per second on average, bursts up to {@code burst} (by default twice the rate). Over the limit: 429
 * RATE_LIMIT_EXCEEDED with {@code Retry-After}. The buckets live in a size-bounded Caffeine cache, so memory stays
 * flat however many distinct callers appear; an evicted one simply starts again with a full bucket. Health, metrics
 * and OpenAPI are exempt.
 */
public final class RateLimitFilter implements Filter {
    private final Cache<String, Bucket> buckets;
    private final Bandwidth bandwidth;

    /**
     * From a service's {@code rate} settings: {@code limit} (requests per second), {@code burst} (when unset, twice the
     * limit, so that lowering the limit alone throttles bursts too) and {@code max-clients}. The number of client
     * buckets held is the gauge {@code {service}_rate_limit_clients} (bounded by max-clients).
     */
    public static RateLimitFilter create(String service, Config rate) {
        long limit = rate.get("limit").asLong().get();
        RateLimitFilter filter = new RateLimitFilter(
                limit,
                rate.get("burst").asLong().orElse(2 * limit),
                rate.get("max-clients").asLong().get());
        Metrics.globalRegistry()
                .getOrCreate(Gauge.builder(
                                service.replace('-', '_') + "_rate_limit_clients", filter, RateLimitFilter::clients)
                        .description("Client addresses holding a rate-limit bucket"));
        return filter;
    }

    RateLimitFilter(long ratePerSecond, long burst, long maxClients) {
        this.bandwidth = Bandwidth.builder()
                .capacity(Math.max(burst, 1))
                .refillGreedy(ratePerSecond, Duration.ofSeconds(1))
                .build();
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxClients)
                .expireAfterAccess(Duration.ofMinutes(10))
                .build();
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (!ObservePaths.isObserve(req.path().absolute().path())) {
            long retryAfter = tryAcquire(client(req));
            if (retryAfter > 0) {
                ErrorHandlers.respond(
                        req,
                        res,
                        new ApiException(
                                CommonErrorCode.RATE_LIMIT_EXCEEDED,
                                "too many requests, retry after " + retryAfter + " s",
                                List.of(),
                                Map.of("Retry-After", String.valueOf(retryAfter))));
                return;
            }
        }
        chain.proceed();
    }

    /**
     * Whose bucket: the verified caller's (its token's subject), so that users behind one proxy do not share one, else
     * the client address (outside the API, and a request whose token was refused: a flood of bad tokens is limited).
     */
    private static String client(RoutingRequest req) {
        return RequestContext.of(req)
                .flatMap(RequestContext::caller)
                .map(caller -> "caller:" + caller.subject())
                .orElseGet(() -> "address:" + req.remotePeer().host());
    }

    /** Takes a token for {@code client}: 0 when granted, else the whole seconds until one is available (>= 1). */
    long tryAcquire(String client) {
        Bucket bucket =
                buckets.get(client, k -> Bucket.builder().addLimit(bandwidth).build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return 0;
        }
        return Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    }

    private double clients() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }
}
