package dev.ems.user;

import static dev.ems.testing.Envelopes.assertError;
import static dev.ems.testing.Envelopes.assertValidation;
import static dev.ems.testing.JsonBodies.body;
import static dev.ems.user.UserTestSupport.USERS;
import static dev.ems.user.UserTestSupport.email;
import static dev.ems.user.UserTestSupport.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.HttpResult;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** CRUD, soft delete, unique email and optimistic concurrency (ETag / If-Match) of /api/v1/users. */
class UserApiTest extends UserServiceTestBase {
    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server);
    }

    // ---------------------------------------------------------------- create / get / list

    @Test
    void createReturns201WithLocationEtagAllFieldsAndDefaults() {
        String email = email("ada");
        Instant before = Instant.now().minusSeconds(5);
        HttpResult res = api.post(user(email, "Ada", "Lovelace"));

        assertThat(res.status()).isEqualTo(201);
        assertThat(res.header("Content-Type")).startsWith("application/json");
        JsonObject json = res.json();
        assertThat(json.getBoolean("success")).isTrue();
        assertThat(json.containsKey("meta")).as("meta only on lists").isFalse();
        assertThat(json.containsKey("error")).isFalse();
        JsonObject data = json.getJsonObject("data");
        String id = data.getString("id");
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        assertThat(res.header("Location")).isEqualTo(USERS + "/" + id);
        assertThat(res.header("ETag")).isEqualTo("\"1\"");
        assertThat(data.getString("email")).isEqualTo(email);
        assertThat(data.getString("first_name")).isEqualTo("Ada");
        assertThat(data.getString("last_name")).isEqualTo("Lovelace");
        assertThat(data.containsKey("phone"))
                .as("phone is present as null: " + data)
                .isTrue();
        assertThat(data.isNull("phone")).isTrue();
        assertThat(data.getString("role")).isEqualTo("user");
        assertThat(data.getString("status")).isEqualTo("active");
        assertThat(data.containsKey("subject"))
                .as("subject is present as null: " + data)
                .isTrue();
        assertThat(data.isNull("subject")).isTrue();
        assertThat(data.getJsonNumber("version").longValueExact()).isEqualTo(1);
        Instant created = Instant.parse(data.getString("created_at"));
        Instant updated = Instant.parse(data.getString("updated_at"));
        assertThat(created).isAfter(before).isBefore(Instant.now().plusSeconds(5));
        assertThat(updated).isAfterOrEqualTo(created);
        assertThat(data.keySet())
                .containsExactlyInAnyOrder(
                        "id",
                        "email",
                        "first_name",
                        "last_name",
                        "phone",
                        "role",
                        "status",
                        "subject",
                        "version",
                        "created_at",
                        "updated_at");
    }

    @Test
    void createKeepsEveryGivenField() {
        String email = email("grace");
        String subject = "sub-" + UUID.randomUUID();
        JsonObject data = api.create(body(
                "email",
                email,
                "first_name",
                "Grace",
                "last_name",
                "Hopper",
                "phone",
                "+14155550123",
                "role",
                "admin",
                "status",
                "suspended",
                "subject",
                subject));
        assertThat(data.getString("email")).isEqualTo(email);
        assertThat(data.getString("phone")).isEqualTo("+14155550123");
        assertThat(data.getString("role")).isEqualTo("admin");
        assertThat(data.getString("status")).isEqualTo("suspended");
        assertThat(data.getString("subject")).isEqualTo(subject);

        JsonObject inactive = api.create(body(
                "email",
                email("inactive"),
                "first_name",
                "In",
                "last_name",
                "Active",
                "status",
                "inactive",
                "role",
                "user",
                "phone",
                null));
        assertThat(inactive.getString("status")).isEqualTo("inactive");
        assertThat(inactive.isNull("phone")).isTrue();
    }

    @Test
    void getReturnsTheCreatedUserWithEtag() {
        JsonObject created = api.create(email("get"), "Alan", "Turing");
        HttpResult res = api.getUser(created.getString("id"));

        assertThat(res.status()).isEqualTo(200);
        assertThat(res.header("ETag")).isEqualTo("\"1\"");
        assertThat(res.json().containsKey("meta")).isFalse();
        assertThat(res.data()).isEqualTo(created);
    }

    @Test
    void getOfAnUnknownIdIs404() {
        HttpResult res = assertError(api.getUser(UUID.randomUUID().toString()), 404, "NOT_FOUND");
        assertThat(res.hasHeader("ETag")).isFalse();
    }

    @Test
    void listShowsTheCreatedUserWithMeta() {
        String email = email("listed");
        JsonObject created = api.create(email, "Listed", "Person");
        HttpResult res = api.get(USERS + "?q=" + email.substring(0, email.indexOf('@')));

        assertThat(res.status()).isEqualTo(200);
        assertThat(res.dataArray()).containsExactly(created);
        JsonObject meta = res.meta();
        assertThat(meta.getInt("page")).isEqualTo(1);
        assertThat(meta.getInt("page_size")).isEqualTo(10);
        assertThat(meta.getInt("total_pages")).isEqualTo(1);
        assertThat(meta.getInt("total_count")).isEqualTo(1);
    }

    @Test
    void emailIsUniqueCaseInsensitively() {
        String email = email("dup");
        JsonObject first = api.create(email, "First", "Owner");

        HttpResult res =
                assertError(api.post(user(email.toUpperCase(Locale.ROOT), "Second", "Owner")), 409, "CONFLICT");
        assertThat(res.detailFields()).containsExactly("email");

        // PUT and PATCH of another user onto the taken email conflict too, and change nothing
        JsonObject other = api.create(email("other"), "Other", "User");
        String otherId = other.getString("id");
        assertError(api.put(otherId, user(email, "Other", "User")), 409, "CONFLICT");
        assertError(api.patch(otherId, body("email", email.toUpperCase(Locale.ROOT))), 409, "CONFLICT");
        assertThat(api.getUser(otherId).data()).isEqualTo(other);
        assertThat(api.getUser(first.getString("id")).data()).isEqualTo(first);
    }

    // ---------------------------------------------------------------- PUT

    @Test
    void putReplacesEveryFieldAndResetsAbsentOnesToDefaults() throws InterruptedException {
        JsonObject created = api.create(body(
                "email",
                email("put"),
                "first_name",
                "Old",
                "last_name",
                "Name",
                "phone",
                "+442071838750",
                "role",
                "admin",
                "status",
                "inactive",
                "subject",
                "sub-" + UUID.randomUUID()));
        String id = created.getString("id");
        String newEmail = email("put-new");
        Thread.sleep(5);

        HttpResult res = api.put(id, user(newEmail, "New", "Person"));

        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(res.header("ETag")).isEqualTo("\"2\"");
        JsonObject data = res.data();
        assertThat(data.getString("id")).isEqualTo(id);
        assertThat(data.getString("email")).isEqualTo(newEmail);
        assertThat(data.getString("first_name")).isEqualTo("New");
        assertThat(data.getString("last_name")).isEqualTo("Person");
        assertThat(data.isNull("phone")).isTrue();
        assertThat(data.getString("role")).isEqualTo("user");
        assertThat(data.getString("status")).isEqualTo("active");
        assertThat(data.isNull("subject")).isTrue();
        assertThat(data.getJsonNumber("version").longValueExact()).isEqualTo(2);
        assertThat(data.getString("created_at")).isEqualTo(created.getString("created_at"));
        assertThat(Instant.parse(data.getString("updated_at"))).isAfter(Instant.parse(created.getString("updated_at")));
        assertThat(api.getUser(id).data()).isEqualTo(data);
        assertThat(api.getUser(id).header("ETag")).isEqualTo("\"2\"");
    }

    @Test
    void putAndPatchMayKeepOrRecaseTheUsersOwnEmail() {
        String email = email("own");
        JsonObject created = api.create(email, "Own", "Email");
        String id = created.getString("id");

        HttpResult same = api.put(id, user(email, "Own", "Renamed"));
        assertThat(same.status()).as(same.toString()).isEqualTo(200);
        HttpResult recased = api.patch(id, body("email", email.toUpperCase(Locale.ROOT)));
        assertThat(recased.status()).as(recased.toString()).isEqualTo(200);
        assertThat(recased.data().getString("email")).isEqualTo(email.toUpperCase(Locale.ROOT));
        assertThat(recased.header("ETag")).isEqualTo("\"3\"");
    }

    @Test
    void putValidatesTheBodyAndChangesNothingWhenInvalid() {
        JsonObject created = api.create(email("put-bad"), "Valid", "User");
        String id = created.getString("id");

        assertValidation(api.put(id, body("email", "not-an-email", "first_name", "X")), "email", "last_name");
        assertValidation(api.put(id, body("email", email("x"), "first_name", "X", "last_name", "Y", "id", id)), "id");
        assertThat(api.getUser(id).data()).isEqualTo(created);
    }

    @Test
    void putOfAnUnknownIdIs404() {
        assertError(api.put(UUID.randomUUID().toString(), user(email("nobody"), "No", "Body")), 404, "NOT_FOUND");
    }

    // ---------------------------------------------------------------- PATCH

    @Test
    void patchChangesOnlyTheGivenField() {
        JsonObject created = api.create(
                body("email", email("patch"), "first_name", "Pat", "last_name", "Ching", "phone", "+14155550100"));
        String id = created.getString("id");

        JsonObject v2 = patchOk(id, body("first_name", "Patricia"), 2);
        assertThat(v2.getString("first_name")).isEqualTo("Patricia");
        assertSameExcept(created, v2, "first_name");

        JsonObject v3 = patchOk(id, body("last_name", "Chingford"), 3);
        assertSameExcept(v2, v3, "last_name");

        String newEmail = email("patched");
        JsonObject v4 = patchOk(id, body("email", newEmail), 4);
        assertThat(v4.getString("email")).isEqualTo(newEmail);
        assertSameExcept(v3, v4, "email");

        JsonObject v5 = patchOk(id, body("role", "admin"), 5);
        assertThat(v5.getString("role")).isEqualTo("admin");
        assertSameExcept(v4, v5, "role");

        JsonObject v6 = patchOk(id, body("status", "suspended"), 6);
        assertThat(v6.getString("status")).isEqualTo("suspended");
        assertSameExcept(v5, v6, "status");

        JsonObject v7 = patchOk(id, body("phone", "+33142685300"), 7);
        assertThat(v7.getString("phone")).isEqualTo("+33142685300");
        assertSameExcept(v6, v7, "phone");

        assertThat(api.getUser(id).data()).isEqualTo(v7);
    }

    @Test
    void patchWithPhoneNullClearsThePhone() {
        JsonObject created = api.create(
                body("email", email("phone"), "first_name", "Tele", "last_name", "Phone", "phone", "+14155550123"));
        String id = created.getString("id");

        JsonObject patched = patchOk(id, body("phone", null), 2);
        assertThat(patched.containsKey("phone")).isTrue();
        assertThat(patched.isNull("phone")).isTrue();
        assertSameExcept(created, patched, "phone");
        JsonObject read = api.getUser(id).data();
        assertThat(read.isNull("phone")).isTrue();
    }

    @Test
    void patchWithNullForARequiredFieldIsAValidationError() {
        JsonObject created = api.create(email("nulls"), "Nul", "Ls");
        String id = created.getString("id");

        assertValidation(api.patch(id, body("email", null)), "email");
        assertValidation(api.patch(id, body("first_name", null)), "first_name");
        assertValidation(api.patch(id, body("last_name", null)), "last_name");
        assertValidation(api.patch(id, body("role", null)), "role");
        assertValidation(api.patch(id, body("status", null)), "status");
        assertValidation(api.patch(id, body("email", "broken", "phone", "12")), "email", "phone");
        assertValidation(api.patch(id, body("nickname", "x")), "nickname");

        HttpResult after = api.getUser(id);
        assertThat(after.data()).isEqualTo(created);
        assertThat(after.header("ETag")).isEqualTo("\"1\"");
    }

    @Test
    void patchOfAnUnknownIdIs404() {
        assertError(api.patch(UUID.randomUUID().toString(), body("first_name", "Ghost")), 404, "NOT_FOUND");
    }

    // ---------------------------------------------------------------- DELETE

    @Test
    void deleteIsSoftAndFreesTheEmail() {
        String email = email("gone");
        JsonObject created = api.create(email, "Soon", "Gone");
        String id = created.getString("id");
        String q = USERS + "?q=" + email.substring(0, email.indexOf('@'));
        assertThat(api.get(q).ids()).containsExactly(id);

        HttpResult deleted = api.delete(id);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();

        assertError(api.getUser(id), 404, "NOT_FOUND");
        HttpResult list = api.get(q);
        assertThat(list.dataArray()).isEmpty();
        assertThat(list.meta().getInt("total_count")).isZero();
        assertThat(list.meta().getInt("total_pages")).isZero();

        // the deleted user's email can be used again (even in another case); the new user is a new resource
        JsonObject reborn = api.create(email.toUpperCase(Locale.ROOT), "Born", "Again");
        assertThat(reborn.getString("id")).isNotEqualTo(id);
        assertThat(reborn.getJsonNumber("version").longValueExact()).isEqualTo(1);
        assertThat(api.get(q).ids()).containsExactly(reborn.getString("id"));

        // the deleted one stays gone for every verb
        assertError(api.delete(id), 404, "NOT_FOUND");
        assertError(api.put(id, user(email("zombie"), "Zom", "Bie")), 404, "NOT_FOUND");
        assertError(api.patch(id, body("first_name", "Zombie")), 404, "NOT_FOUND");
        assertError(api.delete(id, "If-Match", "\"2\""), 404, "NOT_FOUND");
        assertError(api.delete(id, "If-Match", "*"), 404, "NOT_FOUND");
        assertThat(api.getUser(reborn.getString("id")).data()).isEqualTo(reborn);
    }

    @Test
    void deleteOfAnUnknownIdIs404() {
        assertError(api.delete(UUID.randomUUID().toString()), 404, "NOT_FOUND");
    }

    // ---------------------------------------------------------------- ETag / If-Match

    @Test
    void staleIfMatchIs412ForPutPatchAndDeleteAndChangesNothing() {
        JsonObject created = api.create(email("stale"), "Sta", "Le");
        String id = created.getString("id");
        JsonObject current = patchOk(id, body("first_name", "Fresh"), 2);

        HttpResult put = assertError(
                api.put(id, user(email("stale-put"), "P", "Ut"), "If-Match", "\"1\""), 412, "PRECONDITION_FAILED");
        assertThat(put.hasHeader("ETag")).isFalse();
        assertError(api.patch(id, body("last_name", "Patched"), "If-Match", "\"1\""), 412, "PRECONDITION_FAILED");
        assertError(api.delete(id, "If-Match", "\"1\""), 412, "PRECONDITION_FAILED");
        // a version from the future matches nothing either
        assertError(api.put(id, user(email("future"), "Fu", "Ture"), "If-Match", "\"3\""), 412, "PRECONDITION_FAILED");
        // neither does a tag that is no version at all
        assertError(api.patch(id, body("last_name", "X"), "If-Match", "\"abc\""), 412, "PRECONDITION_FAILED");

        HttpResult after = api.getUser(id);
        assertThat(after.data()).isEqualTo(current);
        assertThat(after.header("ETag")).isEqualTo("\"2\"");
    }

    @Test
    void currentIfMatchSucceedsAndBumpsTheVersion() {
        JsonObject created = api.create(email("match"), "Mat", "Ch");
        String id = created.getString("id");
        String etag = api.getUser(id).header("ETag");
        assertThat(etag).isEqualTo("\"1\"");

        HttpResult put = api.put(id, user(email("match-put"), "Put", "Done"), "If-Match", etag);
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(put.header("ETag")).isEqualTo("\"2\"");
        assertThat(put.data().getJsonNumber("version").longValueExact()).isEqualTo(2);

        HttpResult patch = api.patch(id, body("last_name", "Patched"), "If-Match", put.header("ETag"));
        assertThat(patch.status()).as(patch.toString()).isEqualTo(200);
        assertThat(patch.header("ETag")).isEqualTo("\"3\"");
        assertThat(patch.data().getString("last_name")).isEqualTo("Patched");
        assertThat(patch.data().getString("first_name")).isEqualTo("Put");

        // a list of tags matches when one of them is current
        HttpResult listed = api.patch(id, body("first_name", "Listed"), "If-Match", "\"1\", \"3\"");
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        assertThat(listed.header("ETag")).isEqualTo("\"4\"");

        HttpResult delete = api.delete(id, "If-Match", "\"4\"");
        assertThat(delete.status()).isEqualTo(204);
        assertError(api.getUser(id), 404, "NOT_FOUND");
    }

    @Test
    void ifMatchStarMatchesAnyVersion() {
        JsonObject created = api.create(email("star"), "St", "Ar");
        String id = created.getString("id");
        patchOk(id, body("first_name", "Moved"), 2);

        HttpResult put = api.put(id, user(email("star-put"), "Star", "Put"), "If-Match", "*");
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(put.header("ETag")).isEqualTo("\"3\"");

        HttpResult patch = api.patch(id, body("status", "inactive"), "If-Match", "*");
        assertThat(patch.status()).as(patch.toString()).isEqualTo(200);
        assertThat(patch.header("ETag")).isEqualTo("\"4\"");
        assertThat(patch.data().getString("status")).isEqualTo("inactive");

        assertThat(api.delete(id, "If-Match", "*").status()).isEqualTo(204);
        assertError(api.getUser(id), 404, "NOT_FOUND");
    }

    @Test
    void weakEtagNeverMatches() {
        JsonObject created = api.create(email("weak"), "We", "Ak");
        String id = created.getString("id");

        assertError(api.put(id, user(email("weak-put"), "P", "Q"), "If-Match", "W/\"1\""), 412, "PRECONDITION_FAILED");
        assertError(api.patch(id, body("first_name", "Weakling"), "If-Match", "W/\"1\""), 412, "PRECONDITION_FAILED");
        assertError(api.delete(id, "If-Match", "W/\"1\""), 412, "PRECONDITION_FAILED");

        HttpResult after = api.getUser(id);
        assertThat(after.data()).isEqualTo(created);
        assertThat(after.header("ETag")).isEqualTo("\"1\"");
    }

    @Test
    void ifMatchOnAnUnknownIdIs404Not412() {
        String unknown = UUID.randomUUID().toString();
        assertError(api.put(unknown, user(email("u"), "U", "N"), "If-Match", "\"1\""), 404, "NOT_FOUND");
        assertError(api.patch(unknown, body("first_name", "U"), "If-Match", "\"1\""), 404, "NOT_FOUND");
        assertError(api.delete(unknown, "If-Match", "\"1\""), 404, "NOT_FOUND");
    }

    // ---------------------------------------------------------------- helpers

    private JsonObject patchOk(String id, String json, long expectedVersion) {
        HttpResult res = api.patch(id, json);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(res.header("ETag")).isEqualTo("\"" + expectedVersion + "\"");
        JsonObject data = res.data();
        assertThat(data.getJsonNumber("version").longValueExact()).isEqualTo(expectedVersion);
        return data;
    }

    /** {@code after} equals {@code before} but for {@code field}, the version and updated_at. */
    private static void assertSameExcept(JsonObject before, JsonObject after, String field) {
        for (String key : before.keySet()) {
            if (!key.equals(field) && !key.equals("version") && !key.equals("updated_at")) {
                JsonValue expected = before.get(key);
                assertThat(after.get(key)).as(key).isEqualTo(expected);
            }
        }
        assertThat(after.get(field)).as(field).isNotEqualTo(before.get(field));
        assertThat(Instant.parse(after.getString("updated_at")))
                .isAfterOrEqualTo(Instant.parse(before.getString("updated_at")));
    }
}
