package dev.ems.core.db;

import dev.ems.core.config.EnvironmentVariables;
import dev.ems.core.config.StartupException;
import io.helidon.config.Config;
import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * The real PostgreSQL that a service starts for itself in the {@code local} profile ({@code <service>.db.embedded}).
 * Implemented by the development-only module ems-local-postgres and found through {@link ServiceLoader}, so that no
 * production artifact carries PostgreSQL binaries; {@code scripts/run-service} puts that module on the class path.
 */
public interface LocalPostgres {

    /**
     * Starts PostgreSQL on {@code port} with its data in {@code dataDir} (kept across restarts), creates the roles
     * {@code owner} (runs the migrations, owns the tables) and {@code serviceRole} (the pool's, no privileges of its
     * own) if they are missing, and {@code database}, owned by {@code owner}, if it is missing.
     */
    Server start(Path dataDir, int port, String database, String owner, String serviceRole);

    /** A running local PostgreSQL; closing it stops the server. */
    interface Server extends AutoCloseable {
        @Override
        void close();
    }

    /** The implementation on the class path, or a {@link StartupException} saying how to get one. */
    static LocalPostgres find(Config dbSettings) {
        return ServiceLoader.load(LocalPostgres.class).findFirst().orElseThrow(() -> {
            String prefix = EnvironmentVariables.forKey(dbSettings.key().toString());
            return new StartupException(
                    "the local profile starts an embedded PostgreSQL (" + dbSettings.key() + ".embedded=true), but the"
                            + " development module ems-local-postgres is not on the class path: start the service with"
                            + " `make run` or scripts/run-service, or set " + prefix + "_EMBEDDED=false and "
                            + prefix + "_HOST and " + prefix + "_PORT to a PostgreSQL server");
        });
    }
}
