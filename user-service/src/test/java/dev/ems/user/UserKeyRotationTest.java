package dev.ems.user;

import static dev.ems.user.UserTestSupport.USERS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.TestIssuer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A key the issuer starts signing with while user-service runs (a new {@code kid} in its JWKS) is trusted without a
 * restart. The class has an issuer of its own, so that no other class sees its key change.
 */
class UserKeyRotationTest extends UserServiceTestBase {
    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server, TestIssuer.start(), Map.of());
    }

    @Test
    void tokensOfARotatedKeyAreAcceptedWithoutARestart() {
        String before = TestIssuer.adminToken(issuer);
        assertThat(api(TestIssuer.bearer(before)).get(USERS).status()).isEqualTo(200);
        issuer.rotateKey();
        String after = TestIssuer.adminToken(issuer);
        assertThat(TestIssuer.keyId(after)).as("a new key").isNotEqualTo(TestIssuer.keyId(before));
        assertThat(api(TestIssuer.bearer(after)).get(USERS).status()).isEqualTo(200);
    }
}
