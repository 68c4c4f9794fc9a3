package dev.ems.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ems.core.audit.PersonalData.Normalisation;
import dev.ems.core.config.StartupException;
import dev.ems.core.http.Json;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Pseudonyms are HMAC-SHA256 under the key, in the documented form, reproducible with the documented openssl
 * commands; personal fields are replaced by them, other fields kept; the key is a secret without which nothing starts.
 */
class PseudonymiserTest {
    private static final String KEY = "a-pseudonymisation-key-for-the-tests-0123";
    private static final Pseudonymiser PSEUDONYMISER = new Pseudonymiser(KEY, true);
    private static final PersonalData PERSON =
            new PersonalData("person", Map.of("email", Normalisation.ASCII_LOWERCASE, "name", Normalisation.AS_STORED));

    @Test
    void aPseudonymIsTheHmacSha256OfTheValueUnderTheKeyWithTheKeyId() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String hex = HexFormat.of().formatHex(mac.doFinal("Zoë Ångström".getBytes(StandardCharsets.UTF_8)));
        String keyId = HexFormat.of()
                .formatHex(mac.doFinal("ems-audit-pseudonymisation-key-id".getBytes(StandardCharsets.UTF_8)))
                .substring(0, 16);

        assertThat(PSEUDONYMISER.pseudonym("Zoë Ångström")).isEqualTo("hmac-sha256:" + keyId + ":" + hex);
        assertThat(new Pseudonymiser("another-pseudonymisation-key-for-tests-0123", true).pseudonym("Zoë Ångström"))
                .as("another key: another key id and another hash")
                .doesNotContain(keyId)
                .doesNotContain(hex);
    }

    @Test
    void theReadmesOpensslCommandsGiveTheSameHashAndKeyId() throws Exception {
        assumeTrue(
                new ProcessBuilder("sh", "-c", "command -v openssl").start().waitFor() == 0,
                "openssl is not installed");
        // README, "Personal data in the audit trail": how an investigator checks a value
        String hash = openssl("printf '%s' \"$VALUE\" | openssl dgst -sha256 -hmac \"$KEY\" | awk '{print $NF}'");
        String keyId = openssl("printf '%s' ems-audit-pseudonymisation-key-id | openssl dgst -sha256 -hmac \"$KEY\""
                + " | awk '{print $NF}' | cut -c1-16");

        assertThat(PSEUDONYMISER.pseudonym("Zoë Ångström, 1 Main St")).isEqualTo("hmac-sha256:" + keyId + ":" + hash);
    }

    @Test
    void personalFieldsBecomePseudonymsNullsStayAndTheRestIsKept() {
        JsonObject entity = Json.parseObject(
                "{\"id\":\"42\",\"email\":\"Ada.King@Example.COM\",\"name\":\"Ada King\",\"phone\":null,\"role\":\"admin\"}");
        JsonObject withNull = Json.parseObject("{\"email\":null}");

        JsonObject out = PERSON.pseudonymised(entity, PSEUDONYMISER);

        assertThat(out.getString("email"))
                .as("an email is lowercased (ASCII letters) first")
                .isEqualTo(PSEUDONYMISER.pseudonym("ada.king@example.com"));
        assertThat(out.getString("name")).isEqualTo(PSEUDONYMISER.pseudonym("Ada King"));
        assertThat(out.getString("id")).isEqualTo("42");
        assertThat(out.getString("role")).isEqualTo("admin");
        assertThat(out.isNull("phone")).isTrue();
        assertThat(out.keySet()).containsExactly("id", "email", "name", "phone", "role");
        assertThat(PERSON.pseudonymised(withNull, PSEUDONYMISER).isNull("email"))
                .isTrue();
        assertThat(Normalisation.ASCII_LOWERCASE.apply("ÀBc-Ü@X.org"))
                .as("only A-Z are folded, so `tr A-Z a-z` reproduces it")
                .isEqualTo("Àbc-Ü@x.org");
    }

    @Test
    void aPersonalFieldThatIsNotTextIsRefusedNotRecordedInClear() {
        assertThatThrownBy(
                        () -> PERSON.pseudonymised(Json.parseObject("{\"name\":{\"first\":\"Ada\"}}"), PSEUDONYMISER))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("person.name")
                .hasMessageNotContaining("Ada");
    }

    @Test
    void theClientAddressAndUserAgentArePseudonymisedUnlessConfiguredOtherwise() {
        assertThat(PSEUDONYMISER.client("10.1.2.3")).isEqualTo(PSEUDONYMISER.pseudonym("10.1.2.3"));
        assertThat(PSEUDONYMISER.client(null)).isNull();
        assertThat(new Pseudonymiser(KEY, false).client("10.1.2.3")).isEqualTo("10.1.2.3");
    }

    @Test
    void theKeyIsASecretOfAtLeast32BytesNamedByItsEnvironmentVariable() {
        assertThatThrownBy(() -> Pseudonymiser.from(config(Map.of("ems.audit.pseudonymisation.client", "true"))))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("EMS_AUDIT_PSEUDONYMISATION_KEY is not set");
        assertThatThrownBy(() -> Pseudonymiser.from(config(Map.of(
                        "ems.audit.pseudonymisation.key",
                        "x".repeat(31),
                        "ems.audit.pseudonymisation.client",
                        "true"))))
                .hasMessageStartingWith("EMS_AUDIT_PSEUDONYMISATION_KEY is too short (31 bytes)");
        assertThatThrownBy(() -> Pseudonymiser.from(config(Map.of(
                        "ems.audit.pseudonymisation.key",
                        "CHANGE-ME-a-long-random-pseudonymisation-key",
                        "ems.audit.pseudonymisation.client",
                        "true"))))
                .hasMessageStartingWith("EMS_AUDIT_PSEUDONYMISATION_KEY is a placeholder");
        Pseudonymiser configured = Pseudonymiser.from(
                config(Map.of("ems.audit.pseudonymisation.key", KEY, "ems.audit.pseudonymisation.client", "false")));
        assertThat(configured.pseudonym("v")).isEqualTo(PSEUDONYMISER.pseudonym("v"));
        assertThat(configured.client("10.1.2.3")).isEqualTo("10.1.2.3");
    }

    private static Config config(Map<String, String> values) {
        return Config.just(ConfigSources.create(values));
    }

    /** The output of {@code script} in sh, with VALUE and KEY set. */
    private static String openssl(String script) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true);
        builder.environment().put("VALUE", "Zoë Ångström, 1 Main St");
        builder.environment().put("KEY", KEY);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
