package dev.ems.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.config.ConfigSources;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartupExceptionTest {
    private final Config config = Config.just(ConfigSources.create(Map.of("user.service.db.pool-size", "many")));

    @Test
    void aMissingSettingIsSaidWithItsVariable() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> config.get("user.service.rate.limit").asLong().get());
        assertThat(StartupException.of(e)).hasMessage("user.service.rate.limit is not set (USER_SERVICE_RATE_LIMIT)");
    }

    @Test
    void aMalformedSettingIsSaidWithItsVariableAndValue() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> config.get("user.service.db.pool-size").asInt().get());
        assertThat(StartupException.of(e)).hasMessage("USER_SERVICE_DB_POOL_dash_SIZE is not valid: 'many'");
    }
}
