package dev.ems.core.server;

import dev.ems.core.db.Database;

/**
 * Runs a service's migrations once, as the owner of its tables, and exits (status 0 when the schema is up to date, 1
 * with one log line saying why not): for a deployment in which the service itself holds only its own role's password
 * ({@code <SERVICE>_DB_MIGRATION_ENABLED=false}), such as the Kubernetes init container of k8s/. Reads the service's
 * settings as the service does: {@code java -cp /app/service.jar dev.ems.core.server.Migrate audit-log-service}.
 */
public final class Migrate {
    private Migrate() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: Migrate <service>, e.g. Migrate user-service");
            System.exit(2);
        }
        String service = args[0];
        ServiceRuntime.run(service, config -> Database.migrate(service, config.get(service.replace('-', '.') + ".db")));
    }
}
