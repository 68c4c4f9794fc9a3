package dev.ems.audit;

import static dev.ems.audit.AuditTestSupport.assertIntact;
import static dev.ems.audit.AuditTestSupport.entry;
import static dev.ems.audit.AuditTestSupport.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.core.db.Database;
import dev.ems.core.server.ServiceRuntime;
import dev.ems.testing.TestPostgres;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The database itself keeps the trail append-only (migration V4): the service's own role, which the service runs as
 * here as in a deployment, may append, read, move the head and purge through {@code audit_purge_through} alone; the
 * guard triggers refuse changing or removing entries even to roles that hold the privilege.
 */
class AuditLeastPrivilegeTest extends AuditServiceTestBase {
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final String INVALID_PARAMETER = "22023";

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server, Map.of("audit.log.service.retention.days", "0"));
    }

    @Test
    void theServiceRoleCannotChangeOrRemoveWhatTheTrailHolds() throws SQLException {
        appender.create(entry());
        audit.purgeRecordedBefore(Instant.now()); // a checkpoint to try to change
        appender.create(entry());
        String before = trail();
        try (Connection c = TestPostgres.connect(db, TestPostgres.SERVICE_ROLE)) {
            for (String refused : new String[] {
                "UPDATE audit_entries SET actor = 'user:mallory'",
                "DELETE FROM audit_entries",
                "TRUNCATE audit_entries",
                "UPDATE audit_checkpoints SET last_hash = repeat('0', 64)",
                "DELETE FROM audit_checkpoints",
                "TRUNCATE audit_checkpoints",
                "INSERT INTO audit_checkpoints (through_seq, last_hash, purged_count, seal)"
                        + " VALUES (99, repeat('0', 64), 1, 'forged')",
                "DELETE FROM audit_chain_head",
                "INSERT INTO audit_chain_head (id, seq, hash) VALUES (2, 0, '')",
                "ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_guard",
                "DROP TRIGGER audit_entries_guard ON audit_entries",
                "ALTER TABLE audit_entries ADD COLUMN note text",
                "DROP TABLE audit_checkpoints",
                "CREATE TABLE audit_entries_copy (seq bigint)",
                // a superuser's way around the triggers
                "SET session_replication_role = replica"
            }) {
                assertThat(sqlState(c, refused)).as(refused).isEqualTo(INSUFFICIENT_PRIVILEGE);
            }
        }
        assertThat(trail()).isEqualTo(before);
        assertIntact(api.verify(), Long.parseLong(scalar(db, "SELECT count(*) FROM audit_entries")));
    }

    /** The entries, head and checkpoints, as one text to compare. */
    private String trail() {
        return scalar(
                db,
                "SELECT (SELECT string_agg(e::text, ',' ORDER BY seq) FROM audit_entries e)"
                        + " || (SELECT h::text FROM audit_chain_head h)"
                        + " || (SELECT coalesce(string_agg(k::text, ',' ORDER BY id), '') FROM audit_checkpoints k)");
    }

    @Test
    void theTriggersRefuseEvenRolesThatHoldThePrivilege() throws SQLException {
        appender.create(entry());
        String before = trail();
        long head = Long.parseLong(scalar(db, "SELECT seq FROM audit_chain_head"));
        // the owner outside the purge function, and the superuser who has not set the triggers aside
        for (String role : new String[] {TestPostgres.OWNER, "postgres"}) {
            try (Connection c = TestPostgres.connect(db, role)) {
                for (String refused : new String[] {
                    "UPDATE audit_entries SET actor = 'user:mallory'",
                    "DELETE FROM audit_entries",
                    "TRUNCATE audit_entries",
                    "UPDATE audit_checkpoints SET purged_count = 0",
                    "DELETE FROM audit_checkpoints",
                    "INSERT INTO audit_checkpoints (through_seq, last_hash, purged_count, seal)"
                            + " VALUES (99, repeat('0', 64), 1, 'forged')"
                }) {
                    assertAppendOnly(failure(c, refused), role + ": " + refused);
                }
            }
        }
        // the owner's own session may not purge either (current_user = session_user in the function): a purge is
        // the service's, whose role the function lends the owner's rights to
        try (Connection c = TestPostgres.connect(db, TestPostgres.OWNER)) {
            assertAppendOnly(failure(c, "SELECT audit_purge_through(" + head + ", 'seal', 'key')"), "owner purges");
        }
        assertThat(trail()).isEqualTo(before);
    }

    private static void assertAppendOnly(SQLException e, String what) {
        assertThat(e.getSQLState()).as(what).isEqualTo(INSUFFICIENT_PRIVILEGE);
        assertThat(e.getMessage()).as(what).contains("the audit trail is append-only");
    }

    @Test
    void retentionPurgesThroughTheFunctionWhichTakesTheCheckpointsHashFromTheEntry() {
        appender.create(entry());
        long through = Long.parseLong(scalar(db, "SELECT max(seq) FROM audit_entries"));
        String hash = scalar(db, "SELECT hash FROM audit_entries WHERE seq = " + through);

        assertThat(audit.purgeRecordedBefore(Instant.now())).isPositive();

        assertThat(scalar(db, "SELECT last_hash FROM audit_checkpoints WHERE through_seq = " + through))
                .isEqualTo(hash);
        assertThat(scalar(db, "SELECT count(*) FROM audit_entries WHERE seq <= " + through))
                .isEqualTo("0");
        long left = Long.parseLong(scalar(db, "SELECT count(*) FROM audit_entries"));
        assertIntact(api.verify(), left);
    }

    @Test
    void theFunctionRefusesASeqPastTheHeadOrNotPastTheStartOrWithoutASeal() throws SQLException {
        appender.create(entry());
        long head = Long.parseLong(scalar(db, "SELECT seq FROM audit_chain_head"));
        long start = Long.parseLong(scalar(db, "SELECT coalesce(max(through_seq), 0) FROM audit_checkpoints"));
        try (Connection c = TestPostgres.connect(db, TestPostgres.SERVICE_ROLE)) {
            SQLException pastTheHead = failure(c, "SELECT audit_purge_through(" + (head + 1) + ", 'seal', 'key')");
            assertThat(pastTheHead.getSQLState()).isEqualTo(INVALID_PARAMETER);
            assertThat(pastTheHead.getMessage()).contains("not past its head (" + head + ")");
            assertThat(sqlState(c, "SELECT audit_purge_through(" + start + ", 'seal', 'key')"))
                    .isEqualTo(INVALID_PARAMETER);
            assertThat(sqlState(c, "SELECT audit_purge_through(" + head + ", NULL, 'key')"))
                    .isEqualTo(INVALID_PARAMETER);
        }
        assertThat(scalar(db, "SELECT count(*) FROM audit_entries WHERE seq = " + head))
                .isEqualTo("1");
    }

    @Test
    void withMigrationsRunApartTheServiceIsReadyOnlyOnceTheyHaveRun() throws Exception {
        String database = TestPostgres.createDatabase();
        Config config = AuditTestSupport.config(
                database,
                Map.of(
                        "audit.log.service.port", "0",
                        "audit.log.service.db.migration.enabled", "false",
                        "audit.log.service.db.migration.password", ""));
        ServiceRuntime runtime = ServiceRuntime.create(Main.SERVICE, config);
        WebServer server = runtime.start(routing -> Main.routing(
                routing, Main.auditService(runtime, Main.hashChain(config), Main.checkpointSigner(config))));
        try {
            URI ready = URI.create("http://localhost:" + server.port() + "/health/ready");
            assertThat(status(ready)).as("not migrated: not ready").isEqualTo(503);
            assertThat(scalar(database, "SELECT count(*) FROM pg_tables WHERE tablename = 'audit_entries'"))
                    .as("the service, as its own role, created nothing")
                    .isEqualTo("0");

            // what the init container runs (Migrate), with the owner's password the service itself never had
            Database.migrate(
                    Main.SERVICE, AuditTestSupport.config(database, Map.of()).get("audit.log.service.db"));

            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(status(ready))
                            .as("validated as its role: ready")
                            .isEqualTo(204));
        } finally {
            runtime.shutdown(server);
        }
    }

    private static int status(URI uri) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        }
    }

    /** The SQLState with which {@code statement} fails (it must fail). */
    private static String sqlState(Connection c, String statement) {
        return failure(c, statement).getSQLState();
    }

    private static SQLException failure(Connection c, String statement) {
        try (Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            return e;
        }
        throw new AssertionError("succeeded, but must fail: " + statement);
    }
}
