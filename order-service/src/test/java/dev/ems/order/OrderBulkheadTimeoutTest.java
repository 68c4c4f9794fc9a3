package dev.ems.order;

import static dev.ems.order.ResilienceSupport.createOrder;
import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bulkhead's limit ("calls in flight at once") must hold for the calls user-service actually receives, also when
 * calls time out: a call the FT Timeout gave up on is still in flight at user-service until its HTTP exchange ends.
 * <p>
 * A call the FT Timeout gives up on really ends at the deadline (its connection closed), so the bulkhead's count is
 * the truth: no call goes on in the background after its slot was given to the next one.
 */
class OrderBulkheadTimeoutTest extends OrderServiceTestBase {
    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        startObserved(
                server,
                Map.of(
                        "order.service.user.service.bulkhead.limit", "1",
                        "order.service.user.service.bulkhead.queue", "0",
                        "order.service.user.service.timeout", "300ms",
                        "order.service.user.service.read-timeout", "5s",
                        "circuit.breaker.volume", "100"));
    }

    @Test
    void aTimedOutCallEndsAtTheDeadlineAndFreesItsSlot() throws InterruptedException {
        // user-service starts answering at once but takes 2 s to finish: only the FT timeout (300 ms) can stop it
        users.mode(UserServiceStandIn.Mode.TRICKLE);
        users.slowMillis(2000);
        for (int i = 0; i < 4; i++) {
            ResilienceSupport.Reply reply = createOrder(client);
            reply.assertUserServiceUnavailable();
            assertThat(reply.millis()).as("answered at the deadline").isLessThan(1500);
            Thread.sleep(300); // the stand-in notices the hang-up at its next write
        }
        // every call was cut off by order-service, none ran on in the background
        assertThat(users.abandoned()).as("answers the client hung up on").isEqualTo(4);
        assertThat(users.maxInFlight())
                .as("calls user-service was serving at once (bulkhead limit 1)")
                .isLessThanOrEqualTo(1);
    }
}
