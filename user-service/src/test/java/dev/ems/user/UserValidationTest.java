package dev.ems.user;

import static dev.ems.testing.Envelopes.assertValidation;
import static dev.ems.testing.JsonBodies.body;
import static dev.ems.user.UserTestSupport.USERS;
import static dev.ems.user.UserTestSupport.email;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.HttpResult;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

/** Every validation rule of the user body (POST, and the same rules on PUT and PATCH). */
class UserValidationTest extends UserServiceTestBase {
    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server);
    }

    @Test
    void requiredFieldsMissing() {
        String email = email("req");
        assertInvalid(body("first_name", "A", "last_name", "B"), "email", "is required");
        assertInvalid(body("email", email, "last_name", "B"), "first_name", "is required");
        assertInvalid(body("email", email, "first_name", "A"), "last_name", "is required");
        // empty, blank and null count as missing
        assertInvalid(body("email", "", "first_name", "A", "last_name", "B"), "email", "is required");
        assertInvalid(body("email", "   ", "first_name", "A", "last_name", "B"), "email", "is required");
        assertInvalid(body("email", null, "first_name", "A", "last_name", "B"), "email", "is required");
        assertInvalid(body("email", email, "first_name", "", "last_name", "B"), "first_name", "is required");
        assertInvalid(body("email", email, "first_name", " \t ", "last_name", "B"), "first_name", "is required");
        assertInvalid(body("email", email, "first_name", "A", "last_name", null), "last_name", "is required");
        // an empty object misses all three
        assertValidation(api.post("{}"), "email", "first_name", "last_name");
        assertNotCreated(email);
    }

    @Test
    void invalidEmails() {
        for (String bad : new String[] {
            "not-an-email",
            "plainaddress",
            "a@b",
            "@example.com",
            "a@",
            "a@@example.com",
            "a b@example.com",
            "a@exa mple.com",
            "a@example.c",
            "a@-example.com",
            "a@example-.com",
            "a@.example.com",
            "a@example..com",
            "a@example.com.",
            "ä@example.com",
            "a@example.com\u0000",
            "<a>@example.com"
        }) {
            assertInvalid(
                    body("email", bad, "first_name", "A", "last_name", "B"), "email", "must be a valid email address");
        }
    }

    @Test
    void emailLengthLimitIs254() {
        String domain = "@example.com";
        String ok = "a".repeat(254 - domain.length()) + domain;
        assertThat(ok).hasSize(254);
        String tooLong = "b" + ok;
        assertThat(tooLong).hasSize(255);

        assertInvalid(
                body("email", tooLong, "first_name", "A", "last_name", "B"), "email", "must be at most 254 characters");
        assertInvalid(
                body("email", "c".repeat(1000) + domain, "first_name", "A", "last_name", "B"),
                "email",
                "must be at most 254 characters");
        assertThat(api.create(body("email", ok, "first_name", "A", "last_name", "B"))
                        .getString("email"))
                .isEqualTo(ok);
    }

    @Test
    void nameLengthLimitIs100() {
        String hundred = "N".repeat(100);
        for (String field : new String[] {"first_name", "last_name"}) {
            String other = field.equals("first_name") ? "last_name" : "first_name";
            assertInvalid(
                    body("email", email("long"), field, hundred + "x", other, "B"),
                    field,
                    "must be at most 100 characters");
            assertInvalid(
                    body("email", email("long"), field, "x".repeat(10_000), other, "B"),
                    field,
                    "must be at most 100 characters");
            JsonObject created = api.create(body("email", email("long-ok"), field, hundred, other, "B"));
            assertThat(created.getString(field)).isEqualTo(hundred);
        }
        // characters, not UTF-16 units: 100 emoji (200 chars in Java) are fine and round-trip intact
        String emoji = "\uD83D\uDE00".repeat(100);
        JsonObject created =
                api.create(body("email", email("emoji"), "first_name", emoji, "last_name", "Émilie Ünïcode"));
        assertThat(created.getString("first_name")).isEqualTo(emoji);
        assertThat(created.getString("last_name")).isEqualTo("Émilie Ünïcode");
        assertInvalid(
                body("email", email("emoji"), "first_name", emoji + "\uD83D\uDE00", "last_name", "B"),
                "first_name",
                "must be at most 100 characters");
    }

    @Test
    void controlCharactersInNames() {
        for (String bad : new String[] {
            "Ada\u0000Lovelace",
            "Ada\nLovelace",
            "Ada\rX",
            "A\tB",
            "Bell\u0007",
            "Del\u007Fete",
            "C1\u0085x",
            "Esc\u001B[31m"
        }) {
            assertInvalid(
                    body("email", email("ctl"), "first_name", bad, "last_name", "B"),
                    "first_name",
                    "must not contain control characters");
            assertInvalid(
                    body("email", email("ctl"), "first_name", "A", "last_name", bad),
                    "last_name",
                    "must not contain control characters");
        }
    }

    @Test
    void phoneMustBeE164() {
        for (String bad : new String[] {
            "",
            " ",
            "12345",
            "14155550123",
            "+",
            "+0123456789",
            "+1 415 555 0123",
            "+1-415-555-0123",
            "+1234567890123456",
            "+1415555012a",
            "(415) 555-0123",
            "+1\n"
        }) {
            assertInvalid(
                    body("email", email("phone"), "first_name", "A", "last_name", "B", "phone", bad),
                    "phone",
                    "must be an E.164 number such as +14155550123");
        }
        // the boundaries: 2 and 15 digits
        assertThat(api.create(body("email", email("ph2"), "first_name", "A", "last_name", "B", "phone", "+12"))
                        .getString("phone"))
                .isEqualTo("+12");
        assertThat(api.create(body(
                                "email",
                                email("ph15"),
                                "first_name",
                                "A",
                                "last_name",
                                "B",
                                "phone",
                                "+123456789012345"))
                        .getString("phone"))
                .isEqualTo("+123456789012345");
    }

    @Test
    void roleAndStatusMustBeKnownLowercaseValues() {
        for (String bad : new String[] {"superuser", "ADMIN", "User", "", " admin"}) {
            assertInvalid(
                    body("email", email("role"), "first_name", "A", "last_name", "B", "role", bad),
                    "role",
                    "must be one of admin, user");
        }
        for (String bad : new String[] {"deleted", "Active", "ACTIVE", "", "banned"}) {
            assertInvalid(
                    body("email", email("status"), "first_name", "A", "last_name", "B", "status", bad),
                    "status",
                    "must be one of active, inactive, suspended");
        }
    }

    @Test
    void unknownFieldsAreRejected() {
        String email = email("unknown");
        assertInvalid(
                body("email", email, "first_name", "A", "last_name", "B", "nickname", "x"),
                "nickname",
                "unknown field");
        // server-owned fields are not client input
        assertValidation(
                api.post(body(
                        "email",
                        email,
                        "first_name",
                        "A",
                        "last_name",
                        "B",
                        "id",
                        "0b0f9d6e-6f5e-4a51-9d3f-1a2b3c4d5e6f",
                        "version",
                        7,
                        "created_at",
                        "2020-01-01T00:00:00Z",
                        "updated_at",
                        "2020-01-01T00:00:00Z",
                        "deleted_at",
                        "2020-01-01T00:00:00Z")),
                "id",
                "version",
                "created_at",
                "updated_at",
                "deleted_at");
        // Java names are not JSON names
        assertValidation(api.post(body("email", email, "firstName", "A", "lastName", "B")), "firstName", "lastName");
        assertNotCreated(email);
    }

    @Test
    void wrongJsonTypesAreRejected() {
        String email = email("types");
        assertInvalid(body("email", 42, "first_name", "A", "last_name", "B"), "email", "must be a string");
        assertInvalid(
                body(
                        "email",
                        email,
                        "first_name",
                        jakarta.json.Json.createObjectBuilder().add("x", 1).build(),
                        "last_name",
                        "B"),
                "first_name",
                "must be a string");
        assertInvalid(
                body("email", email, "first_name", "A", "last_name", JsonValue.EMPTY_JSON_ARRAY),
                "last_name",
                "must be a string");
        assertInvalid(
                body("email", email, "first_name", "A", "last_name", "B", "phone", 14155550123L),
                "phone",
                "must be a string");
        assertInvalid(
                body("email", email, "first_name", "A", "last_name", "B", "role", true), "role", "must be a string");
        assertInvalid(
                body("email", email, "first_name", "A", "last_name", "B", "status", 1.5), "status", "must be a string");
        assertNotCreated(email);
    }

    @Test
    void everyBadFieldIsListedAtOnce() {
        // rule violations, all six fields
        assertValidation(
                api.post(body(
                        "email",
                        "bad",
                        "first_name",
                        "",
                        "last_name",
                        "x".repeat(101),
                        "phone",
                        "123",
                        "role",
                        "root",
                        "status",
                        "gone")),
                "email",
                "first_name",
                "last_name",
                "phone",
                "role",
                "status");
        // shape violations: wrong types and unknown fields together
        assertValidation(
                api.post(body(
                        "email",
                        1,
                        "first_name",
                        JsonValue.EMPTY_JSON_ARRAY,
                        "last_name",
                        JsonValue.EMPTY_JSON_OBJECT,
                        "phone",
                        false,
                        "role",
                        2,
                        "status",
                        JsonValue.TRUE,
                        "extra",
                        "x",
                        "more",
                        1)),
                "email",
                "first_name",
                "last_name",
                "phone",
                "role",
                "status",
                "extra",
                "more");
        // every detail has a field and a message
        HttpResult res = api.post(body("email", "bad", "first_name", "A\u0000", "last_name", ""));
        assertValidation(res, "email", "first_name", "last_name");
        assertThat(res.error().getString("message")).isEqualTo("request validation failed");
        res.error().getJsonArray("details").forEach(d -> {
            assertThat(d.asJsonObject().getString("field")).isNotBlank();
            assertThat(d.asJsonObject().getString("message")).isNotBlank();
        });
    }

    @Test
    void putAndPatchApplyTheSameRules() {
        JsonObject created = api.create(email("rules"), "Rule", "Abiding");
        String id = created.getString("id");

        assertValidation(
                api.put(
                        id,
                        body(
                                "email",
                                "x@y",
                                "first_name",
                                "A\nB",
                                "last_name",
                                "C",
                                "phone",
                                "",
                                "role",
                                "god",
                                "status",
                                "zombie")),
                "email",
                "first_name",
                "phone",
                "role",
                "status");
        assertValidation(
                api.put(id, body("email", 1, "first_name", "A", "last_name", "B", "extra", 1)), "email", "extra");
        assertValidation(api.patch(id, body("email", "x".repeat(250) + "@example.com")), "email");
        assertValidation(
                api.patch(id, body("first_name", "y".repeat(101), "last_name", "Ok\u0000")), "first_name", "last_name");
        assertValidation(api.patch(id, body("phone", "")), "phone");
        assertValidation(api.patch(id, body("role", "Admin", "status", "deleted")), "role", "status");
        assertValidation(api.patch(id, body("phone", 123, "unknown", true)), "phone", "unknown");

        HttpResult after = api.getUser(id);
        assertThat(after.data()).isEqualTo(created);
        assertThat(after.header("ETag")).isEqualTo("\"1\"");
    }

    private void assertInvalid(String json, String field, String message) {
        HttpResult res = api.post(json);
        assertValidation(res, field);
        assertThat(res.detailMessage(field)).as(json).isEqualTo(message);
    }

    private void assertNotCreated(String email) {
        HttpResult res = api.get(USERS + "?q=" + email.substring(0, email.indexOf('@')));
        assertThat(res.dataArray()).isEmpty();
    }
}
