package dev.ems.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void readsTheShortForms() {
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void readsPlainSecondsAndIso() {
        assertThat(Durations.parse("45")).isEqualTo(Duration.ofSeconds(45));
        assertThat(Durations.parse("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse(" pt2m ")).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void refusesAnythingElse() {
        for (String bad : new String[] {"", "s", "10x", "10s garbage", "-5s", "1.5s", "PTxyz"}) {
            assertThatThrownBy(() -> Durations.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aSettingThatIsAbsentOrNotADurationStopsTheStartNamingItsVariable() {
        Config settings = Config.just(ConfigSources.create(Map.of("user.service.body-timeout", "ten seconds")));
        assertThat(Durations.of(Config.just(ConfigSources.create(Map.of("user.service.body-timeout", "10s")))
                        .get("user.service.body-timeout")))
                .isEqualTo(Duration.ofSeconds(10));
        assertThatThrownBy(() -> Durations.of(settings.get("user.service.body-timeout")))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("USER_SERVICE_BODY_dash_TIMEOUT is not a duration: 'ten seconds'");
        assertThatThrownBy(() -> Durations.of(settings.get("user.service.shutdown.drain")))
                .isInstanceOf(StartupException.class)
                .hasMessage("user.service.shutdown.drain is not set (USER_SERVICE_SHUTDOWN_DRAIN)");
    }
}
