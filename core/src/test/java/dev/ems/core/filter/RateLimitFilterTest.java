package dev.ems.core.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitFilterTest {

    @Test
    void allowsTheBurstThenAsksToRetry() {
        RateLimitFilter limiter = new RateLimitFilter(1, 3, 100);
        assertThat(limiter.tryAcquire("10.0.0.1")).isZero();
        assertThat(limiter.tryAcquire("10.0.0.1")).isZero();
        assertThat(limiter.tryAcquire("10.0.0.1")).isZero();
        assertThat(limiter.tryAcquire("10.0.0.1")).isEqualTo(1);
        // another client has its own bucket
        assertThat(limiter.tryAcquire("10.0.0.2")).isZero();
    }

    @Test
    void memoryStaysBoundedWithManyClients() {
        RateLimitFilter limiter = RateLimitFilter.create(
                "bounded-test", Config.just(ConfigSources.create(Map.of("limit", "10", "max-clients", "1000"))));
        for (int i = 0; i < 50_000; i++) {
            limiter.tryAcquire("client-" + i);
        }
        Gauge gauge = Metrics.globalRegistry()
                .gauge("bounded_test_rate_limit_clients", List.of())
                .orElseThrow();
        assertThat(gauge.value().doubleValue()).isBetween(1.0, 1000.0);
    }

    @Test
    void theBurstDefaultsToTwiceTheLimit() {
        RateLimitFilter limiter = RateLimitFilter.create(
                "rate-test", Config.just(ConfigSources.create(Map.of("limit", "5", "max-clients", "1000"))));
        int granted = 0;
        for (int i = 0; i < 60; i++) {
            if (limiter.tryAcquire("10.0.0.1") == 0) {
                granted++;
            }
        }
        // a burst of 10, plus what refills (5/s) while the loop runs: far below 60
        assertThat(granted).isBetween(10, 12);
    }

    @Test
    void aConfiguredBurstWins() {
        RateLimitFilter limiter = RateLimitFilter.create(
                "rate-test",
                Config.just(ConfigSources.create(Map.of("limit", "1", "burst", "3", "max-clients", "1000"))));
        assertThat(limiter.tryAcquire("10.0.0.1")).isZero();
        assertThat(limiter.tryAcquire("10.0.0.1")).isZero();
        assertThat(limiter.tryAcquire("10.0.0.1")).isZero();
        assertThat(limiter.tryAcquire("10.0.0.1")).isEqualTo(1);
    }
}
