package dev.ems.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

/**
 * A service's counts of refused calls in its /metrics: errors of type UNAUTHORIZED, answers with status 401, errors of
 * type FORBIDDEN.
 */
public record RefusalCounts(double unauthorized, double answered401, double forbidden) {
    /** Read from {@code api}'s /metrics; {@code service} is the metrics' prefix, e.g. {@code user_service}. */
    public static RefusalCounts of(ServiceApi api, String service) {
        return new RefusalCounts(
                api.metric(service + "_errors_total", "type", "UNAUTHORIZED"),
                api.metric(service + "_requests_total", "status", "401"),
                api.metric(service + "_errors_total", "type", "FORBIDDEN"));
    }

    /**
     * Waits until the counts are these plus {@code unauthorized} 401s and {@code forbidden} 403s, at most 5 s: a request
     * is counted when its filters finish, a moment after its response reached the client.
     */
    public void awaitGrowth(ServiceApi api, String service, int unauthorized, int forbidden) {
        RefusalCounts expected = new RefusalCounts(
                this.unauthorized + unauthorized, answered401 + unauthorized, this.forbidden + forbidden);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(of(api, service)).isEqualTo(expected));
    }
}
