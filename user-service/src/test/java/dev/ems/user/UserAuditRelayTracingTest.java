package dev.ems.user;

import static dev.ems.user.UserTestSupport.email;
import static dev.ems.user.UserTestSupport.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.testing.HttpResult;
import dev.ems.testing.TestPostgres;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The outbox carries the change's trace to audit-log-service: the relay's batch call has a {@code traceparent} in the
 * trace of the request that made the change (its parent the delivery span, not the caller's span), sampled as the
 * caller asked, and the event names the trace. A stand-in audit service records the header as it arrives.
 */
class UserAuditRelayTracingTest {
    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String CALLER_SPAN = "b7ad6b7169203331";

    @Test
    void theRelaysCallIsInTheTraceOfTheChange() {
        String database = TestPostgres.createDatabase();
        try (AuditServiceStandIn trail = AuditServiceStandIn.start();
                UserReplica replica = UserReplica.start(database, trail.url())) {
            trail.comeBack();
            HttpResult created = replica.api()
                    .post(
                            user(email("traced"), "Tracy", "Relay"),
                            "traceparent",
                            "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);

            await().atMost(Duration.ofSeconds(10)).until(() -> !trail.recorded().isEmpty());
            assertThat(trail.traceparents()).singleElement().satisfies(traceparent -> {
                assertThat(traceparent)
                        .as("the change's trace, sampled")
                        .matches("00-" + TRACE_ID + "-[0-9a-f]{16}-01");
                assertThat(traceparent)
                        .as("under the delivery span, not straight under the caller")
                        .doesNotContain(CALLER_SPAN);
            });
            assertThat(trail.recorded().getFirst().getString("trace_id")).isEqualTo(TRACE_ID);
        }
    }
}
