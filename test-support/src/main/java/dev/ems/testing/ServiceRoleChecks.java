package dev.ems.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.core.db.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * What a service's own database role may do and what not: a fresh database migrated as the owner, as a deployment
 * does, and statements run as {@link TestPostgres#SERVICE_ROLE}, which PostgreSQL must refuse (SQLState 42501).
 */
public final class ServiceRoleChecks {
    public static final String INSUFFICIENT_PRIVILEGE = "42501";

    private ServiceRoleChecks() {}

    /** A fresh database with {@code service}'s migrations run as the owner; returns its name. */
    public static String migratedDatabase(String service) {
        String database = TestPostgres.createDatabase();
        Database.migrate(
                service,
                ServiceConfigs.of(service, TestPostgres.shared().getPort(), database, Map.of())
                        .get(service.replace('-', '.') + ".db"));
        return database;
    }

    /** As the service role in {@code database}: {@code readable} is read, and each of {@code refused} is refused. */
    public static void assertServiceRole(String database, String readable, List<String> refused) throws SQLException {
        try (Connection c = TestPostgres.connect(database, TestPostgres.SERVICE_ROLE);
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + readable)) {
                assertThat(rs.next()).as("it reads " + readable).isTrue();
            }
            for (String statement : refused) {
                assertThat(sqlState(s, statement)).as(statement).isEqualTo(INSUFFICIENT_PRIVILEGE);
            }
        }
    }

    private static String sqlState(Statement s, String statement) {
        try {
            s.execute(statement);
        } catch (SQLException e) {
            return e.getSQLState();
        }
        throw new AssertionError("succeeded, but must fail: " + statement);
    }
}
