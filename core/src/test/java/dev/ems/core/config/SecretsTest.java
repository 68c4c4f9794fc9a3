package dev.ems.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {
    private static final String KEY = "audit.log.service.integrity.key";
    private static final Set<String> LOCAL = Set.of("local-development-integrity-key");

    @Test
    void aLongEnoughSecretIsTakenInAnyProfile() {
        String secret = "0123456789abcdef0123456789abcdef";
        assertThat(Secrets.require(KEY, secret, 32, false, LOCAL)).isEqualTo(secret);
        assertThat(Secrets.require(KEY, secret, 32, true, LOCAL)).isEqualTo(secret);
    }

    @Test
    void anUnsetSecretIsRefusedNamingItsEnvironmentVariable() {
        assertThatThrownBy(() -> Secrets.require(KEY, "", 32, false, LOCAL))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("AUDIT_LOG_SERVICE_INTEGRITY_KEY is not set")
                .hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> Secrets.require(KEY, "   ", 32, true, LOCAL))
                .hasMessageStartingWith("AUDIT_LOG_SERVICE_INTEGRITY_KEY is not set");
    }

    @Test
    void aShortSecretIsRefusedCountingBytesNotCharacters() {
        assertThatThrownBy(() -> Secrets.require(KEY, "x".repeat(31), 32, false, LOCAL))
                .isInstanceOf(StartupException.class)
                .hasMessage(
                        "AUDIT_LOG_SERVICE_INTEGRITY_KEY is too short (31 bytes): set a secret of at least 32 bytes");
        // 16 characters, 32 bytes in UTF-8
        assertThat(Secrets.require(KEY, "é".repeat(16), 32, false, LOCAL)).hasSize(16);
    }

    @Test
    void placeholdersAreRefusedWhateverTheirCaseOrLength() {
        for (String placeholder :
                new String[] {"CHANGE-ME-a-long-random-integrity-key", "change-me", "please-changeme-0123456789abcdef01"
                }) {
            assertThatThrownBy(() -> Secrets.require(KEY, placeholder, 32, false, LOCAL))
                    .as(placeholder)
                    .hasMessage("AUDIT_LOG_SERVICE_INTEGRITY_KEY is a placeholder (CHANGE-ME...): set a real secret");
        }
        assertThatThrownBy(() -> Secrets.require(KEY, "CHANGE-ME-a-long-random-integrity-key", 32, true, LOCAL))
                .as("not even in the local profile")
                .isInstanceOf(StartupException.class);
    }

    @Test
    void theLocalDevelopmentValueIsTakenOnlyInTheLocalProfile() {
        assertThat(Secrets.require(KEY, "local-development-integrity-key", 32, true, LOCAL))
                .as("shorter than 32 bytes, but the local profile's own value")
                .isEqualTo("local-development-integrity-key");
        assertThatThrownBy(() -> Secrets.require(KEY, "local-development-integrity-key", 32, false, LOCAL))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith(
                        "AUDIT_LOG_SERVICE_INTEGRITY_KEY holds the local-development value of application-local.yaml");
    }

    @Test
    void readsTheSettingAndNeverEchoesTheValue() {
        Config config = Config.just(ConfigSources.create(Map.of("user.service.db.password", "hunter2")));
        // outside the local profile (tests run without HELIDON_CONFIG_PROFILE), with no application-local.yaml here
        assertThat(Secrets.require(config.get("user.service.db.password"), 1)).isEqualTo("hunter2");
        assertThatThrownBy(() -> Secrets.require(config.get("user.service.db.password"), 8))
                .hasMessage("USER_SERVICE_DB_PASSWORD is too short (7 bytes): set a secret of at least 8 bytes")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void environmentVariableNamesFollowHelidonsMapping() {
        assertThat(EnvironmentVariables.forKey("user.service.db.pool-size"))
                .isEqualTo("USER_SERVICE_DB_POOL_dash_SIZE");
        assertThat(EnvironmentVariables.forKey("audit.log.service.integrity.key"))
                .isEqualTo("AUDIT_LOG_SERVICE_INTEGRITY_KEY");
    }

    private static Config config(Map<String, String> values) {
        return Config.just(ConfigSources.create(values));
    }

    @Test
    void aSecretComesFromTheFileItsFileVariableNames(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("key"), "0123456789abcdef0123456789abcdef-from-a-file\n");
        Config settings = config(Map.of(KEY + ".file", file.toString()));
        assertThat(Secrets.require(settings.get(KEY), 32))
                .as("the trailing line break an editor adds is not part of the secret")
                .isEqualTo("0123456789abcdef0123456789abcdef-from-a-file");
    }

    @Test
    void aSecretFromAFileIsCheckedAsAnyOther(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("key"), "CHANGE-ME-0123456789abcdef0123456789");
        assertThatThrownBy(() -> Secrets.require(
                        config(Map.of(KEY + ".file", file.toString())).get(KEY), 32))
                .isInstanceOf(StartupException.class)
                .hasMessage("AUDIT_LOG_SERVICE_INTEGRITY_KEY is a placeholder (CHANGE-ME...): set a real secret");
    }

    @Test
    void bothTheValueAndItsFileAreRefused(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("key"), "0123456789abcdef0123456789abcdef");
        Config settings = config(Map.of(KEY, "fedcba9876543210fedcba9876543210", KEY + ".file", file.toString()));
        assertThatThrownBy(() -> Secrets.require(settings.get(KEY), 32))
                .isInstanceOf(StartupException.class)
                .hasMessage("AUDIT_LOG_SERVICE_INTEGRITY_KEY and AUDIT_LOG_SERVICE_INTEGRITY_KEY_FILE are both set:"
                        + " set one of them");
    }

    @Test
    void anUnreadableFileIsRefusedNamingItsVariable(@TempDir Path dir) {
        String missing = dir.resolve("missing").toString();
        assertThatThrownBy(() ->
                        Secrets.require(config(Map.of(KEY + ".file", missing)).get(KEY), 32))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith(
                        "AUDIT_LOG_SERVICE_INTEGRITY_KEY_FILE names a file that cannot be read (" + missing + ")");
    }

    @Test
    void aListOfSecretsIsSplitOnCommasAndLinesAndEachIsChecked(@TempDir Path dir) throws IOException {
        String first = "0123456789abcdef0123456789abcdef";
        String second = "fedcba9876543210fedcba9876543210";
        String key = "audit.log.service.integrity.previous.keys";
        assertThat(Secrets.list(config(Map.of(key, first + ", " + second)).get(key), 32))
                .containsExactly(first, second);
        Path file = Files.writeString(dir.resolve("keys"), first + "\n\n" + second + "\n");
        assertThat(Secrets.list(config(Map.of(key + ".file", file.toString())).get(key), 32))
                .containsExactly(first, second);
        assertThat(Secrets.list(config(Map.of()).get(key), 32)).isEmpty();
        assertThatThrownBy(() ->
                        Secrets.list(config(Map.of(key, first + ",short")).get(key), 32))
                .isInstanceOf(StartupException.class)
                .hasMessage("AUDIT_LOG_SERVICE_INTEGRITY_PREVIOUS_KEYS is too short (5 bytes): set a secret of at least"
                        + " 32 bytes");
    }
}
