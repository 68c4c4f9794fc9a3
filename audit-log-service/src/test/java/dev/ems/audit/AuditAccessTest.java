package dev.ems.audit;

import static dev.ems.audit.AuditTestSupport.AUDIT;
import static dev.ems.audit.AuditTestSupport.batchOf;
import static dev.ems.audit.AuditTestSupport.entry;
import static dev.ems.audit.AuditTestSupport.unique;
import static dev.ems.testing.Envelopes.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.HttpResult;
import dev.ems.testing.TestIssuer;
import io.helidon.http.Method;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules of the trail per role (AuditAccess): a {@code service} appends entries in its own name only (the
 * {@code service} of every entry is its token's identity, {@code azp}); an {@code admin} or an {@code auditor} reads,
 * searches, exports and verifies, and appends nothing; a {@code user} does nothing.
 */
class AuditAccessTest extends AuditServiceTestBase {
    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server);
    }

    @Test
    void aServiceAppendsEntriesInItsOwnName() {
        String entity = unique("own");

        HttpResult single =
                api.post(entry("service", "order-service", "entity_id", entity), asService("order-service"));
        HttpResult batch = api.batch(
                batchOf(
                        entry("service", "order-service", "entity_id", entity),
                        entry("service", "order-service", "entity_id", entity)),
                asService("order-service"));

        assertThat(single.status()).as(single.toString()).isEqualTo(201);
        assertThat(single.data().getString("service")).isEqualTo("order-service");
        assertThat(batch.status()).as(batch.toString()).isEqualTo(201);
        assertThat(entriesOf(entity)).isEqualTo(3);
    }

    @Test
    void aServiceCannotWriteInAnothersName() {
        String entity = unique("forged");

        assertError(
                api.post(entry("service", "user-service", "entity_id", entity), asService("order-service")),
                403,
                "FORBIDDEN");
        // one foreign entry refuses the whole batch: nothing of it is appended
        assertError(
                api.batch(
                        batchOf(
                                entry("service", "order-service", "entity_id", entity),
                                entry("service", "user-service", "entity_id", entity)),
                        asService("order-service")),
                403,
                "FORBIDDEN");

        assertThat(entriesOf(entity)).isZero();
    }

    @Test
    void theServiceIdentityIsTheTokensAzpNotItsSubject() {
        // a token whose sub claims user-service but whose azp (the authorised client) is order-service
        String token = TestIssuer.shared()
                .token(claims -> claims.subject("user-service")
                        .claim("azp", "order-service")
                        .claim("roles", List.of("service")));

        assertError(
                api.post(entry("service", "user-service"), "Authorization", TestIssuer.bearer(token)),
                403,
                "FORBIDDEN");
    }

    @Test
    void nobodyButAServiceAppends() {
        String entity = unique("not-a-service");
        for (String[] caller :
                List.of(as("admin-1", "admin"), as("auditor-1", "auditor"), as("alice", "user"), as("user-service"))) {
            assertError(api.post(entry("service", "user-service", "entity_id", entity), caller), 403, "FORBIDDEN");
            assertError(
                    api.batch(batchOf(entry("service", "user-service", "entity_id", entity)), caller),
                    403,
                    "FORBIDDEN");
        }
        assertThat(entriesOf(entity)).isZero();
    }

    @Test
    void adminsAndAuditorsReadSearchExportAndVerify() {
        String entity = unique("read");
        String id = api.post(entry("service", "user-service", "entity_id", entity), asService("user-service"))
                .data()
                .getString("id");
        for (String[] reader : List.of(as("auditor-1", "auditor"), as("admin-1", "admin"))) {
            assertThat(api.get(AUDIT + "/" + id, reader).status()).isEqualTo(200);
            assertThat(api.get(AUDIT + "?entity_id=" + entity, reader).ids()).containsExactly(id);
            HttpResult export = api.get(AUDIT + "/export?entity_id=" + entity, reader);
            assertThat(export.status()).isEqualTo(200);
            assertThat(export.body()).contains(id);
            HttpResult verify = api.get(AUDIT + "/verify", reader);
            assertThat(verify.status()).isEqualTo(200);
            assertThat(verify.data().getBoolean("intact")).isTrue();
        }
    }

    @Test
    void servicesUsersAndCallersWithoutARoleReadNothing() {
        String id = api.post(entry("service", "user-service"), asService("user-service"))
                .data()
                .getString("id");
        for (String[] caller : List.of(asService("user-service"), as("alice", "user"), as("nobody"))) {
            assertError(api.get(AUDIT + "/" + id, caller), 403, "FORBIDDEN");
            assertError(api.get(AUDIT, caller), 403, "FORBIDDEN");
            assertError(api.call(Method.GET, AUDIT + "/export", null, caller), 403, "FORBIDDEN");
            assertError(api.get(AUDIT + "/verify", caller), 403, "FORBIDDEN");
        }
    }

    private long entriesOf(String entity) {
        return api.get(AUDIT + "?entity_id=" + entity + "&page_size=100", as("auditor-1", "auditor"))
                .meta()
                .getJsonNumber("total_count")
                .longValueExact();
    }

    /** A service's token as its client-credentials grant gives it: role service, azp (and sub) its client id. */
    private static String[] asService(String service) {
        return new String[] {"Authorization", TestIssuer.bearer(TestIssuer.serviceToken(service))};
    }

    private static String[] as(String subject, String... roles) {
        return new String[] {"Authorization", TestIssuer.bearer(TestIssuer.token(subject, roles))};
    }
}
