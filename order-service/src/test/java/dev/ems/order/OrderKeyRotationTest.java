package dev.ems.order;

import static dev.ems.order.OrderTestSupport.ORDERS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.TestIssuer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A key the issuer starts signing with while order-service runs (a new {@code kid} in its JWKS) is trusted without a
 * restart. The class has an issuer of its own, so that no other class sees its key change.
 */
class OrderKeyRotationTest extends OrderServiceTestBase {
    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server, TestIssuer.start(), Map.of());
    }

    @Test
    void tokensOfARotatedKeyAreAcceptedWithoutARestart() {
        String before = TestIssuer.adminToken(issuer);
        assertThat(api(TestIssuer.bearer(before)).get(ORDERS).status()).isEqualTo(200);
        issuer.rotateKey();
        String after = TestIssuer.adminToken(issuer);
        assertThat(TestIssuer.keyId(after)).as("a new key").isNotEqualTo(TestIssuer.keyId(before));
        assertThat(api(TestIssuer.bearer(after)).get(ORDERS).status()).isEqualTo(200);
    }
}
