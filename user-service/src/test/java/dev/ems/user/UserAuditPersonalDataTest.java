package dev.ems.user;

import static dev.ems.testing.JsonBodies.body;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.core.http.Json;
import dev.ems.testing.Pseudonyms;
import dev.ems.testing.TestPostgres;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A user's email, phone and names, and the caller's address and user agent, reach the audit outbox only as their
 * pseudonyms (HMAC-SHA256 under the tests' key, computed here apart from the product): never in clear in any outbox
 * row; an update names the fields that changed; ids, role, status and subject stay readable.
 */
class UserAuditPersonalDataTest extends UserServiceTestBase {
    private static final String DATABASE = TestPostgres.createDatabase();
    private static final String USER_AGENT = "PiiProbe/7.3 (Quillfeather)";

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server, DATABASE, Map.of());
    }

    @Test
    void personalFieldsReachTheOutboxOnlyAsPseudonymsAndChangesAreNamed() {
        String unique = UUID.randomUUID().toString().substring(0, 8);
        String email = "Zelda.Quixote-" + unique + "@Example.org";
        String newEmail = "zq-" + unique + "@mailbox.example";
        String subject = "pii-subject-" + unique;
        JsonObject user = api.create(body(
                "email", email,
                "first_name", "Zelmira",
                "last_name", "Quorthwaite",
                "phone", "+14155559876",
                "subject", subject));
        String id = user.getString("id");
        assertThat(api.patch(
                                id,
                                body("email", newEmail, "last_name", "Vantablack", "phone", null, "status", "inactive"),
                                "User-Agent",
                                USER_AGENT)
                        .status())
                .isEqualTo(200);
        // the email's case alone: a change, though its pseudonym (of the lowercased address) stays the same
        assertThat(api.patch(id, body("email", newEmail.toUpperCase(Locale.ROOT)))
                        .status())
                .isEqualTo(200);
        assertThat(api.delete(id).status()).isEqualTo(204);

        List<String> rows = Pseudonyms.outboxEvents(DATABASE, id);

        assertThat(rows).hasSize(4);
        for (String row : rows) {
            assertThat(row.toLowerCase(Locale.ROOT))
                    .as("no personal value in clear in the outbox")
                    .doesNotContain(
                            "zelda",
                            "quixote",
                            "zq-" + unique,
                            "zelmira",
                            "quorthwaite",
                            "vantablack",
                            "4155559876",
                            "piiprobe",
                            "quillfeather");
        }
        JsonObject created = Json.parseObject(rows.get(0));
        JsonObject after = created.getJsonObject("details").getJsonObject("after");
        assertThat(created.getString("action")).isEqualTo("create");
        assertThat(after.getString("email"))
                .as("the email as the service compares it: lowercased")
                .isEqualTo(Pseudonyms.of(email.toLowerCase(Locale.ROOT)));
        assertThat(after.getString("first_name")).isEqualTo(Pseudonyms.of("Zelmira"));
        assertThat(after.getString("last_name")).isEqualTo(Pseudonyms.of("Quorthwaite"));
        assertThat(after.getString("phone")).isEqualTo(Pseudonyms.of("+14155559876"));
        assertThat(after.getString("id")).isEqualTo(id);
        assertThat(after.getString("role")).isEqualTo("user");
        assertThat(after.getString("status")).isEqualTo("active");
        assertThat(after.getString("subject")).as("the subject stays readable").isEqualTo(subject);
        assertThat(created.getString("entity_id")).isEqualTo(id);
        assertThat(created.getString("client_address"))
                .as("the caller's address")
                .isIn(Pseudonyms.of("127.0.0.1"), Pseudonyms.of("0:0:0:0:0:0:0:1"));

        JsonObject update = Json.parseObject(rows.get(1));
        JsonObject details = update.getJsonObject("details");
        assertThat(strings(details, "changed")).containsExactly("email", "last_name", "phone", "status");
        assertThat(details.getJsonObject("before").getString("email"))
                .isEqualTo(Pseudonyms.of(email.toLowerCase(Locale.ROOT)));
        assertThat(details.getJsonObject("after").getString("email")).isEqualTo(Pseudonyms.of(newEmail));
        assertThat(details.getJsonObject("before").getString("last_name")).isEqualTo(Pseudonyms.of("Quorthwaite"));
        assertThat(details.getJsonObject("after").getString("last_name")).isEqualTo(Pseudonyms.of("Vantablack"));
        assertThat(details.getJsonObject("before").getString("phone")).isEqualTo(Pseudonyms.of("+14155559876"));
        assertThat(details.getJsonObject("after").isNull("phone"))
                .as("a removed phone")
                .isTrue();
        assertThat(details.getJsonObject("before").getString("status")).isEqualTo("active");
        assertThat(details.getJsonObject("after").getString("status")).isEqualTo("inactive");
        assertThat(update.getString("user_agent")).isEqualTo(Pseudonyms.of(USER_AGENT));

        JsonObject caseOnly = Json.parseObject(rows.get(2)).getJsonObject("details");
        assertThat(strings(caseOnly, "changed")).containsExactly("email");
        assertThat(caseOnly.getJsonObject("after").getString("email"))
                .isEqualTo(caseOnly.getJsonObject("before").getString("email"))
                .isEqualTo(Pseudonyms.of(newEmail));

        JsonObject deleted = Json.parseObject(rows.get(3));
        assertThat(deleted.getString("action")).isEqualTo("delete");
        JsonObject before = deleted.getJsonObject("details").getJsonObject("before");
        assertThat(before.getString("email")).isEqualTo(Pseudonyms.of(newEmail));
        assertThat(before.getString("first_name")).isEqualTo(Pseudonyms.of("Zelmira"));
        assertThat(before.getString("last_name")).isEqualTo(Pseudonyms.of("Vantablack"));
        assertThat(before.isNull("phone")).isTrue();
        assertThat(before.getString("status")).isEqualTo("inactive");
    }

    private static List<String> strings(JsonObject object, String name) {
        return object.getJsonArray(name).getValuesAs(JsonString::getString);
    }
}
