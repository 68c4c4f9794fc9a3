package dev.ems.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ems.core.audit.PersonalData.Normalisation;
import dev.ems.core.http.Json;
import dev.ems.core.http.RequestOrigin;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the trail records of a change, before anything reaches the outbox. */
class AuditTrailTest {
    private static final AuditTrail TRAIL = new AuditTrail(
            "a-service",
            Clock.systemUTC(),
            new Pseudonymiser("a-pseudonymisation-key-for-the-tests-0123", true),
            List.of(new PersonalData("person", Map.of("email", Normalisation.ASCII_LOWERCASE))));

    @Test
    void anUpdateNamesEveryChangedFieldComparedInClear() {
        JsonObject changes = AuditTrail.changes(
                Json.parseObject("{\"email\":\"ada@example.com\",\"status\":\"active\",\"version\":1}"),
                Json.parseObject("{\"email\":\"ADA@example.com\",\"status\":\"inactive\",\"version\":2}"));

        assertThat(changes.getJsonArray("changed").getValuesAs(JsonString::getString))
                .as("the email's case changed: a change, though its pseudonym will not")
                .containsExactly("email", "status");
        assertThat(changes.getJsonObject("before").keySet()).containsExactly("email", "status");
    }

    @Test
    void anEntityTypeWithoutAListOfPersonalFieldsIsNotRecorded() {
        // refused before the outbox (the transaction, null here) is touched
        assertThatThrownBy(() -> TRAIL.created(
                        null, RequestOrigin.system("a-service"), "invoice", "7", Map.of("payer", "Ada King")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("a-service has no list of the personal fields of invoice to audit it by");
    }
}
