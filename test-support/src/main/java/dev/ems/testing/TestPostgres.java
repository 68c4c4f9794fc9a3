package dev.ems.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real PostgreSQL for tests: one embedded server per test JVM (started on first use, stopped at JVM exit), and a
 * fresh database per test class, so classes never see each other's rows. {@link ServiceConfigs} points a service under
 * test at it, as a deployment does: its migrations run as {@link #OWNER}, which owns the database, its pool connects
 * as {@link #SERVICE_ROLE}, which may only do what the migrations grant it. The tests themselves reach behind the
 * service as the superuser {@code postgres}.
 */
public final class TestPostgres {
    /** The role that runs the migrations and owns the tables (a service's {@code db.migration.user}). */
    public static final String OWNER = "ems_test_owner";
    /** The role of the services' pools (their {@code db.user}): no privilege but the migrations' GRANTs. */
    public static final String SERVICE_ROLE = "ems_test_service";

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres shared;

    private TestPostgres() {}

    public static synchronized EmbeddedPostgres shared() {
        if (shared == null) {
            try {
                shared = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
            EmbeddedPostgres started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is going away anyway
                }
            }));
        }
        return shared;
    }

    /** Creates an empty database on the shared server, owned by {@link #OWNER}, and returns its name. */
    public static String createDatabase() {
        String name = "test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = shared().getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database", e);
        }
        prepare(shared(), name);
        return name;
    }

    /**
     * Makes {@code database} of {@code server} (the shared one or a test's own) ready for a service: the two roles
     * (login roles, neither a superuser nor able to create databases or roles; the server trusts local connections, so
     * they need no password) and {@link #OWNER} as the database's owner, which lets it create tables there.
     */
    public static void prepare(EmbeddedPostgres server, String database) {
        try (Connection c = server.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            for (String role : new String[] {OWNER, SERVICE_ROLE}) {
                s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN"
                        + " CREATE ROLE " + role + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE; END IF; END $$");
            }
            s.execute("ALTER DATABASE " + database + " OWNER TO " + OWNER);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the roles of " + database, e);
        }
    }

    /** A connection to {@code database} on the shared server as {@code role} (to try what a role may do). */
    public static Connection connect(String database, String role) throws SQLException {
        return shared().getDatabase(role, database).getConnection();
    }

    /** Runs SQL directly against {@code database} on the shared server (for checks behind the API's back). */
    public static void sql(String database, String sql) {
        try (Connection c = shared().getDatabase("postgres", database).getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of every row {@code query} returns in {@code database}, as text (checks behind the API). */
    public static List<String> column(String database, String query) {
        try (Connection c = shared().getDatabase("postgres", database).getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
