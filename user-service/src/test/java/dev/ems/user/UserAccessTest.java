package dev.ems.user;

import static dev.ems.testing.Envelopes.assertError;
import static dev.ems.testing.JsonBodies.body;
import static dev.ems.user.UserTestSupport.USERS;
import static dev.ems.user.UserTestSupport.email;
import static dev.ems.user.UserTestSupport.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.HttpResult;
import dev.ems.testing.TestIssuer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules of user records per role (UserAccess): an admin does everything; a {@code user} reads and changes its own
 * record (the one whose {@code subject} is its token's {@code sub}) but not its role, status or subject, and another's
 * record does not exist for it; a {@code service} reads a user by id; an {@code auditor}, or a caller without an EMS
 * role, does nothing.
 */
class UserAccessTest extends UserServiceTestBase {
    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server);
    }

    private String aliceSubject;
    private String alice;
    private String bob;

    @BeforeEach
    void twoUsersWithSubjects() {
        aliceSubject = "alice-" + UUID.randomUUID();
        alice = api.create(
                        body("email", email("alice"), "first_name", "Alice", "last_name", "A", "subject", aliceSubject))
                .getString("id");
        bob = api.create(body(
                        "email",
                        email("bob"),
                        "first_name",
                        "Bob",
                        "last_name",
                        "B",
                        "subject",
                        "bob-" + UUID.randomUUID()))
                .getString("id");
    }

    // ---------------------------------------------------------------- user: its own record

    @Test
    void aUserReadsItsOwnRecord() {
        HttpResult res = api.getUser(alice, as(aliceSubject, "user"));

        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(res.data().getString("subject")).isEqualTo(aliceSubject);
    }

    @Test
    void anotherUsersRecordIsNotFoundNotForbidden() {
        HttpResult other = api.getUser(bob, as(aliceSubject, "user"));
        HttpResult missing = api.getUser(UUID.randomUUID().toString(), as(aliceSubject, "user"));

        assertError(other, 404, "NOT_FOUND");
        assertThat(other.error())
                .as("the same answer as for a record that does not exist")
                .isEqualTo(missing.error());
        assertError(api.patch(bob, body("first_name", "Mallory"), as(aliceSubject, "user")), 404, "NOT_FOUND");
        assertError(api.put(bob, user(email("x"), "Mallory", "M"), as(aliceSubject, "user")), 404, "NOT_FOUND");
        assertThat(api.getUser(bob).data().getString("first_name")).isEqualTo("Bob");
    }

    @Test
    void aRecordWithoutSubjectBelongsToNoUser() {
        String unowned = api.create(email("nobody"), "No", "Body").getString("id");

        assertError(api.getUser(unowned, as(aliceSubject, "user")), 404, "NOT_FOUND");
    }

    @Test
    void aUserChangesItsOwnNamesAndKeepsRoleStatusAndSubject() {
        HttpResult patched = api.patch(alice, body("first_name", "Alicia"), as(aliceSubject, "user"));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.data().getString("first_name")).isEqualTo("Alicia");

        // a PUT without the privileged fields keeps them (they are not the user's to reset)
        HttpResult replaced = api.put(alice, user(email("alicia"), "Alicia", "Anew"), as(aliceSubject, "user"));
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        JsonObject data = replaced.data();
        assertThat(data.getString("last_name")).isEqualTo("Anew");
        assertThat(data.getString("role")).isEqualTo("user");
        assertThat(data.getString("status")).isEqualTo("active");
        assertThat(data.getString("subject")).isEqualTo(aliceSubject);
    }

    @Test
    void aUserMayNotChangeItsRoleStatusOrSubject() {
        String[] asAlice = as(aliceSubject, "user");

        assertError(api.patch(alice, body("role", "admin"), asAlice), 403, "FORBIDDEN");
        assertError(api.patch(alice, body("status", "suspended"), asAlice), 403, "FORBIDDEN");
        assertError(api.patch(alice, body("subject", "someone-else"), asAlice), 403, "FORBIDDEN");
        assertError(
                api.put(
                        alice,
                        body("email", email("a"), "first_name", "A", "last_name", "A", "role", "admin"),
                        asAlice),
                403,
                "FORBIDDEN");

        JsonObject unchanged = api.getUser(alice).data();
        assertThat(unchanged.getString("role")).isEqualTo("user");
        assertThat(unchanged.getString("status")).isEqualTo("active");
        assertThat(unchanged.getString("subject")).isEqualTo(aliceSubject);
        assertThat(unchanged.getJsonNumber("version").longValueExact()).isEqualTo(1);
    }

    @Test
    void aUserMayRestateItsPrivilegedFieldsUnchanged() {
        HttpResult res = api.patch(
                alice, body("role", "user", "status", "active", "first_name", "Al"), as(aliceSubject, "user"));

        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(res.data().getString("first_name")).isEqualTo("Al");
    }

    @Test
    void aUserMayNotListCreateOrDeleteUsers() {
        String[] asAlice = as(aliceSubject, "user");

        assertError(api.get(USERS, asAlice), 403, "FORBIDDEN");
        assertError(api.get(USERS + "?limit=5", asAlice), 403, "FORBIDDEN");
        assertError(api.post(user(email("new"), "New", "User"), asAlice), 403, "FORBIDDEN");
        assertError(api.delete(alice, asAlice), 403, "FORBIDDEN");
        assertThat(api.getUser(alice).status()).isEqualTo(200);
    }

    // ---------------------------------------------------------------- admin: subjects

    @Test
    void onlyOneLiveUserHasASubject() {
        HttpResult duplicate =
                api.post(body("email", email("twin"), "first_name", "T", "last_name", "T", "subject", aliceSubject));

        assertError(duplicate, 409, "CONFLICT");
        assertThat(duplicate.detailFields()).containsExactly("subject");

        // once alice's record is deleted, its subject is free again
        assertThat(api.delete(alice).status()).isEqualTo(204);
        assertThat(api.post(body("email", email("heir"), "first_name", "H", "last_name", "H", "subject", aliceSubject))
                        .status())
                .isEqualTo(201);
    }

    @Test
    void anAdminGivesARecordToASubject() {
        String unowned = api.create(email("later"), "Later", "Owner").getString("id");
        assertThat(api.getUser(unowned).data().isNull("subject")).isTrue();

        HttpResult res = api.patch(unowned, body("subject", "carol"));

        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(api.getUser(unowned, as("carol", "user")).status()).isEqualTo(200);
    }

    // ---------------------------------------------------------------- service, auditor, no role

    @Test
    void aServiceReadsAUserByIdAndNothingElse() {
        String[] asOrderService = as("order-service", "service");

        HttpResult res = api.getUser(bob, asOrderService);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertError(api.get(USERS, asOrderService), 403, "FORBIDDEN");
        assertError(api.post(user(email("svc"), "S", "S"), asOrderService), 403, "FORBIDDEN");
        assertError(api.patch(bob, body("first_name", "X"), asOrderService), 403, "FORBIDDEN");
        assertError(api.delete(bob, asOrderService), 403, "FORBIDDEN");
    }

    @Test
    void anAuditorHasNoAccessToUsers() {
        String[] asAuditor = as("auditor-1", "auditor");

        assertError(api.getUser(bob, asAuditor), 403, "FORBIDDEN");
        assertError(api.get(USERS, asAuditor), 403, "FORBIDDEN");
        assertError(api.post(user(email("aud"), "A", "A"), asAuditor), 403, "FORBIDDEN");
        assertError(api.patch(bob, body("first_name", "X"), asAuditor), 403, "FORBIDDEN");
        assertError(api.delete(bob, asAuditor), 403, "FORBIDDEN");
    }

    @Test
    void aTokenWithoutAnEmsRoleMayDoNothing() {
        String[] noRole = as(aliceSubject);

        assertError(api.getUser(alice, noRole), 403, "FORBIDDEN");
        assertError(api.get(USERS, noRole), 403, "FORBIDDEN");
        assertError(api.patch(alice, body("first_name", "X"), noRole), 403, "FORBIDDEN");
    }

    /** The Authorization header of a token of the tests' issuer for {@code subject} with {@code roles}. */
    private static String[] as(String subject, String... roles) {
        return new String[] {"Authorization", TestIssuer.bearer(TestIssuer.token(subject, roles))};
    }
}
