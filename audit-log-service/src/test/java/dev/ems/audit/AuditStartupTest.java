package dev.ems.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import dev.ems.testing.RefusedStart;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outside the local profile the service refuses to start without safe keys: a real process exits with status 1 after
 * one log line that names the variable to fix (AUDIT_LOG_SERVICE_INTEGRITY_KEY, AUDIT_LOG_SERVICE_SIGNING_KEY, or their
 * _FILE forms), before it touches anything else, and without a word of the key. So it does for a malformed setting, and
 * without the issuer whose tokens it accepts (the process is given the tests' issuer and valid keys otherwise, so that
 * each case fails on what it is about).
 */
class AuditStartupTest {
    private static final String VARIABLE = "AUDIT_LOG_SERVICE_INTEGRITY_KEY";
    private static final String SIGNING = "AUDIT_LOG_SERVICE_SIGNING_KEY";
    private static final String GOOD_KEY = "a-long-enough-integrity-key-for-the-tests-0123";

    @TempDir
    Path tempDir;

    @Test
    void refusesAMissingKey() throws Exception {
        assertRefused(null, "AUDIT_LOG_SERVICE_INTEGRITY_KEY is not set");
    }

    @Test
    void refusesAShortKey() throws Exception {
        assertRefused("0123456789abcdef0123456789abcde", "AUDIT_LOG_SERVICE_INTEGRITY_KEY is too short (31 bytes)");
    }

    @Test
    void refusesThePlaceholderOfTheKubernetesSecret() throws Exception {
        assertRefused("CHANGE-ME-a-long-random-integrity-key", "AUDIT_LOG_SERVICE_INTEGRITY_KEY is a placeholder");
    }

    @Test
    void refusesTheLocalDevelopmentKeyOutsideTheLocalProfile() throws Exception {
        assertRefused(
                "local-development-integrity-key",
                "AUDIT_LOG_SERVICE_INTEGRITY_KEY holds the local-development value of application-local.yaml");
    }

    @Test
    void refusesAShortPreviousKey() throws Exception {
        assertRefused(
                GOOD_KEY,
                Map.of("AUDIT_LOG_SERVICE_INTEGRITY_PREVIOUS_KEYS", "short-old-key"),
                "AUDIT_LOG_SERVICE_INTEGRITY_PREVIOUS_KEYS is too short (13 bytes)");
    }

    @Test
    void refusesAKeyFileThatCannotBeRead() throws Exception {
        String missing = tempDir.resolve("no-such-key").toString();
        assertRefused(
                null,
                Map.of(VARIABLE + "_FILE", missing),
                "AUDIT_LOG_SERVICE_INTEGRITY_KEY_FILE names a file that cannot be read (" + missing + ")");
    }

    @Test
    void refusesAMissingSigningKey() throws Exception {
        assertRefused(GOOD_KEY, Map.of(SIGNING, ""), "AUDIT_LOG_SERVICE_SIGNING_KEY is not set");
    }

    @Test
    void refusesASigningKeyThatIsNotAJwkWithoutQuotingIt() throws Exception {
        String notAKey = "{\"kty\":\"EC\",\"d\":\"secret-material-that-must-not-be-logged\"";
        assertRefused(GOOD_KEY, Map.of(SIGNING, notAKey), "AUDIT_LOG_SERVICE_SIGNING_KEY is not a JWK (JSON Web Key)");
    }

    @Test
    void refusesAPublicSigningKey() throws Exception {
        String publicOnly =
                ECKey.parse(AuditTestSupport.SIGNING_KEY).toPublicJWK().toJSONString();
        assertRefused(
                GOOD_KEY,
                Map.of(SIGNING, publicOnly),
                "AUDIT_LOG_SERVICE_SIGNING_KEY holds a public key: the service signs with a private one");
    }

    @Test
    void refusesTheLocalDevelopmentSigningKeyOutsideTheLocalProfile() throws Exception {
        String local = Config.just(ConfigSources.classpath("application-local.yaml"))
                .get("audit.log.service.signing.key")
                .asString()
                .get();
        assertRefused(
                GOOD_KEY,
                Map.of(SIGNING, local),
                "AUDIT_LOG_SERVICE_SIGNING_KEY holds the local-development value of application-local.yaml");
    }

    @Test
    void refusesASettingThatIsNotADuration() throws Exception {
        assertRefused(
                GOOD_KEY,
                Map.of("AUDIT_LOG_SERVICE_BODY_dash_TIMEOUT", "ten"),
                "AUDIT_LOG_SERVICE_BODY_dash_TIMEOUT is not a duration: 'ten'");
    }

    @Test
    void refusesToStartWithoutAnIssuer() throws Exception {
        assertRefused(
                GOOD_KEY,
                Map.of("EMS_AUTH_ISSUER", ""),
                "EMS_AUTH_ISSUER is not set: the services accept only bearer tokens of a configured issuer");
    }

    @Test
    void refusesASettingThatIsNotANumber() throws Exception {
        assertRefused(
                GOOD_KEY,
                Map.of("AUDIT_LOG_SERVICE_DB_POOL_dash_SIZE", "many"),
                "AUDIT_LOG_SERVICE_DB_POOL_dash_SIZE is not valid: 'many'");
    }

    private void assertRefused(String key, String reason) throws Exception {
        assertRefused(key, Map.of(), reason);
    }

    private void assertRefused(String key, Map<String, String> more, String reason) throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put(SIGNING, AuditTestSupport.SIGNING_KEY);
        settings.put("AUDIT_LOG_SERVICE_DB_MIGRATION_PASSWORD", "a-database-owner-password");
        if (key != null) {
            settings.put(VARIABLE, key);
        }
        settings.putAll(more);
        List<String> lines =
                RefusedStart.assertRefused(Main.class, Main.SERVICE, settings, tempDir.resolve("service.log"));
        assertThat(lines)
                .as("the line that says what to fix")
                .filteredOn(line -> line.contains("\"level\":\"error\""))
                .singleElement()
                .asString()
                .contains("audit-log-service cannot start: " + reason);
        if (more.isEmpty() || reason.contains("KEY")) {
            assertThat(lines)
                    .as("a secret is checked before anything starts: that line alone")
                    .hasSize(1);
        }
        if (key != null) {
            assertThat(String.join("\n", lines))
                    .as("the key itself is never logged")
                    .doesNotContain(key);
        }
        more.forEach((name, value) -> {
            if (name.contains("KEY") && !name.endsWith("_FILE") && !value.isEmpty()) {
                assertThat(String.join("\n", lines))
                        .as("the key itself is never logged")
                        .doesNotContain(value.length() > 40 ? value.substring(0, 40) : value);
            }
        });
    }
}
