package dev.ems.user;

import static dev.ems.testing.JsonBodies.body;
import static dev.ems.user.UserTestSupport.USERS;
import static dev.ems.user.UserTestSupport.email;
import static dev.ems.user.UserTestSupport.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.core.db.Database;
import dev.ems.testing.HttpResult;
import dev.ems.testing.ServiceConfigs;
import dev.ems.testing.TestPostgres;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * A list's total without a search comes from live_user_counts, which triggers keep in the writing transaction: it
 * must equal a count of the live users after creates, moves between statuses and roles, edits, deletes, parallel
 * writers, and an upgrade of a database that already holds users.
 */
class UserTotalsTest extends UserServiceTestBase {
    private static final String[] STATUSES = {"active", "inactive", "suspended"};
    private static final String[] ROLES = {"user", "admin"};
    private static String database;

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        database = TestPostgres.createDatabase();
        start(server, database, Map.of());
    }

    @Test
    void totalsFollowCreatesMovesEditsAndDeletes() throws SQLException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(api.create(body(
                            "email",
                            email("totals"),
                            "first_name",
                            "Total",
                            "last_name",
                            "No" + i,
                            "status",
                            STATUSES[i % 3],
                            "role",
                            ROLES[i % 2]))
                    .getString("id"));
        }
        assertTotalsMatchTheUsers();

        assertThat(api.patch(ids.get(0), body("status", "suspended")).status()).isEqualTo(200);
        assertThat(api.patch(ids.get(1), body("role", "user", "status", "active"))
                        .status())
                .isEqualTo(200);
        assertTotalsMatchTheUsers();

        // an edit that keeps status and role moves no count
        assertThat(api.patch(ids.get(2), body("first_name", "Renamed")).status())
                .isEqualTo(200);
        assertTotalsMatchTheUsers();

        assertThat(api.delete(ids.get(3)).status()).isEqualTo(204);
        assertThat(api.delete(ids.get(4)).status()).isEqualTo(204);
        assertTotalsMatchTheUsers();
        // a deleted user's email is free again: the new user counts, the deleted one still not
        assertThat(api.post(user(email("totals-again"), "Again", "User")).status())
                .isEqualTo(201);
        assertTotalsMatchTheUsers();
    }

    @Test
    void parallelWritersLeaveExactTotals() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            ids.add(api.create(user(email("parallel"), "Parallel", "No" + i)).getString("id"));
        }
        // 16 writers at once: each creates a user, moves its seeded user one way or the other, and deletes every
        // other one: counts are taken in both directions at once and must neither deadlock nor drift
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<List<Integer>>> writers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String id = ids.get(i);
                int n = i;
                writers.add(pool.submit(() -> List.of(
                        api.post(user(email("parallel-new"), "New", "No" + n)).status(),
                        api.patch(id, n % 2 == 0 ? body("status", "inactive", "role", "admin") : body("role", "admin"))
                                .status(),
                        n % 2 == 0 ? api.delete(id).status() : 204)));
            }
            for (Future<List<Integer>> writer : writers) {
                assertThat(writer.get()).containsExactly(201, 200, 204);
            }
        }
        assertTotalsMatchTheUsers();
    }

    @Test
    void anUpgradeCountsTheUsersAlreadyThere() throws SQLException {
        String upgraded = TestPostgres.createDatabase();
        Flyway.configure()
                .dataSource(TestPostgres.shared().getJdbcUrl(TestPostgres.OWNER, upgraded), TestPostgres.OWNER, "")
                .locations("classpath:db/migration/" + Main.SERVICE)
                .placeholders(Map.of("service_role", TestPostgres.SERVICE_ROLE))
                .target("3")
                .load()
                .migrate();
        sql(upgraded, """
                INSERT INTO users (email, first_name, last_name, status, role, deleted_at)
                SELECT 'before' || n || '@upgrade.test', 'Before', 'Upgrade',
                       (ARRAY['active', 'inactive', 'suspended'])[1 + n % 3], (ARRAY['user', 'admin'])[1 + n % 2],
                       CASE WHEN n % 5 = 0 THEN now() END
                FROM generate_series(1, 100) AS n""");

        Database.migrate(
                Main.SERVICE,
                ServiceConfigs.of(Main.SERVICE, TestPostgres.shared().getPort(), upgraded, Map.of())
                        .get("user.service.db"));

        assertThat(counts(upgraded, "SELECT status, role, live FROM live_user_counts WHERE live <> 0"))
                .isEqualTo(counts(
                        upgraded,
                        "SELECT status, role, count(*) FROM users WHERE deleted_at IS NULL GROUP BY status, role"))
                .hasSize(6);
    }

    /** Every filter combination of status and role: the API's total equals a count of the live users it means. */
    private void assertTotalsMatchTheUsers() throws SQLException {
        Map<String, Long> live = counts(
                database, "SELECT status, role, count(*) FROM users WHERE deleted_at IS NULL GROUP BY status, role");
        assertThat(counts(database, "SELECT status, role, live FROM live_user_counts WHERE live <> 0"))
                .isEqualTo(live);
        assertThat(total("")).isEqualTo(sum(live, null, null));
        for (String status : STATUSES) {
            assertThat(total("status=" + status)).as(status).isEqualTo(sum(live, status, null));
            for (String role : ROLES) {
                assertThat(total("status=" + status + "&role=" + role))
                        .as(status + "/" + role)
                        .isEqualTo(sum(live, status, role));
            }
        }
        for (String role : ROLES) {
            assertThat(total("role=" + role)).as(role).isEqualTo(sum(live, null, role));
        }
    }

    private long total(String filters) {
        HttpResult res = api.get(USERS + "?page_size=1" + (filters.isEmpty() ? "" : "&" + filters));
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.meta().getJsonNumber("total_count").longValue();
    }

    private static long sum(Map<String, Long> counts, String status, String role) {
        return counts.entrySet().stream()
                .filter(e -> status == null || e.getKey().startsWith(status + "/"))
                .filter(e -> role == null || e.getKey().endsWith("/" + role))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    /** status/role -> number, from a query of those three columns (as the superuser, behind the service). */
    private static Map<String, Long> counts(String db, String query) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = TestPostgres.shared().getDatabase("postgres", db).getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                counts.put(rs.getString(1) + "/" + rs.getString(2), rs.getLong(3));
            }
        }
        return counts;
    }

    private static void sql(String db, String statement) throws SQLException {
        try (Connection c = TestPostgres.shared().getDatabase("postgres", db).getConnection();
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
