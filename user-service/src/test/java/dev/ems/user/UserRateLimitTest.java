package dev.ems.user;

import static dev.ems.testing.Envelopes.assertError;
import static dev.ems.user.UserTestSupport.USERS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.HttpResult;
import dev.ems.testing.TestIssuer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Whose bucket a request takes from: a verified caller's own (its token's sub), so callers behind one address do not
 * share one; a request without a valid token its address's, before it is refused, so bad tokens are limited too.
 * One request per second, bursts of 3, every request of this class from the same address (localhost).
 */
class UserRateLimitTest extends UserServiceTestBase {
    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server, Map.of("user.service.rate.limit", "1", "user.service.rate.burst", "3"));
    }

    @Test
    void requestsWithoutAValidTokenRunDryOnTheirAddressAndVerifiedCallersKeepTheirOwnBuckets() {
        UserTestSupport.Api badToken = api(TestIssuer.bearer("not-a-token"));
        UserTestSupport.Api anonymous = anonymousApi();

        // refused requests spend the address's burst of 3 (a slow machine may earn one more a second meanwhile)
        HttpResult limited = untilLimited(badToken, anonymous);
        assertError(limited, 429, "RATE_LIMIT_EXCEEDED");
        assertThat(limited.header("Retry-After")).isNotBlank();

        // from the same, dry address each verified caller has a burst of its own
        UserTestSupport.Api alice = api(TestIssuer.bearer(TestIssuer.token("rate-alice", "admin")));
        UserTestSupport.Api bob = api(TestIssuer.bearer(TestIssuer.token("rate-bob", "admin")));
        int served = 0;
        while (alice.get(USERS).status() == 200) {
            served++;
            assertThat(served).as("alice is limited at some point").isLessThan(20);
        }
        assertThat(served).as("alice's own burst").isGreaterThanOrEqualTo(3);
        assertThat(bob.get(USERS).status()).as("bob is not alice").isEqualTo(200);
    }

    /** Sends refused requests (401) in turn from {@code apis} until one is rate limited, and returns that one. */
    private static HttpResult untilLimited(UserTestSupport.Api... apis) {
        for (int i = 0; i < 20; i++) {
            HttpResult res = apis[i % apis.length].get(USERS);
            if (res.status() != 401) {
                assertThat(i).as("the burst of 3 is spent first").isGreaterThanOrEqualTo(3);
                return res;
            }
        }
        throw new AssertionError("no request was rate limited in 20");
    }
}
