package dev.ems.core.filter;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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
        RateLimitFilter limiter = new RateLimitFilter(10, 10, 1_000);
        for (int i = 0; i < 50_000; i++) {
            limiter.tryAcquire("client-" + i);
        }
        assertThat(limiter.trackedClients()).isLessThanOrEqualTo(1_000);
    }
}
