package dev.ems.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ems.core.config.StartupException;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthSettingsTest {
    private static Map<String, String> shared() {
        Map<String, String> values = new HashMap<>();
        values.put("ems.auth.issuer", "https://id.example.com/realms/ems");
        values.put("ems.auth.audience", "ems-api");
        values.put("ems.auth.jwks.uri", "https://id.example.com/realms/ems/certs");
        values.put("ems.auth.roles.claim", "roles");
        values.put("ems.auth.token.uri", "https://id.example.com/realms/ems/token");
        return values;
    }

    @Test
    void theSharedSettingsServeEveryServiceAndAServiceMayOverrideAny() {
        Map<String, String> values = shared();
        values.put("order.service.auth.audience", "orders-api");
        Config config = Config.just(ConfigSources.create(values));

        AuthSettings user = AuthSettings.from(config, "user-service");
        assertThat(user.audience()).isEqualTo("ems-api");
        assertThat(user.jwksUri()).isEqualTo(URI.create("https://id.example.com/realms/ems/certs"));
        AuthSettings order = AuthSettings.from(config, "order-service");
        assertThat(order.audience()).isEqualTo("orders-api");
        assertThat(order.issuer()).isEqualTo("https://id.example.com/realms/ems");
    }

    @Test
    void anUnsetOrMalformedSettingStopsTheStartNamingTheSharedVariable() {
        Map<String, String> values = shared();
        values.remove("ems.auth.issuer");
        assertThatThrownBy(() -> AuthSettings.from(Config.just(ConfigSources.create(values)), "user-service"))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("EMS_AUTH_ISSUER is not set");

        Map<String, String> bad = shared();
        bad.put("user.service.auth.jwks.uri", "file:///etc/passwd");
        assertThatThrownBy(() -> AuthSettings.from(Config.just(ConfigSources.create(bad)), "user-service"))
                .isInstanceOf(StartupException.class)
                .hasMessage("USER_SERVICE_AUTH_JWKS_URI is not an http(s) URL: 'file:///etc/passwd'");
    }

    @Test
    void servicesNameTheClientsWhoseIdsAreNotTheServiceNames() {
        Map<String, String> values = shared();
        values.put("ems.auth.services", " user-service=Xk2vQ8b1 , order-service=7f3a ");
        AuthSettings settings = AuthSettings.from(Config.just(ConfigSources.create(values)), "audit-log-service");
        assertThat(settings.serviceName("Xk2vQ8b1")).isEqualTo("user-service");
        assertThat(settings.serviceName("7f3a")).isEqualTo("order-service");
        assertThat(settings.serviceName("user-service")).isEqualTo("user-service");

        for (String bad : new String[] {"user-service", "user-service=", "=abc", "a=x,b=x", "a=x,"}) {
            Map<String, String> broken = shared();
            broken.put("ems.auth.services", bad);
            assertThatThrownBy(() -> AuthSettings.from(Config.just(ConfigSources.create(broken)), "user-service"))
                    .as(bad)
                    .isInstanceOf(StartupException.class)
                    .hasMessageStartingWith("EMS_AUTH_SERVICES is not a list of <service>=<client id> pairs");
        }
    }
}
