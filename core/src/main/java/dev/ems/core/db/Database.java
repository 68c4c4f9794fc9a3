package dev.ems.core.db;

import dev.ems.core.config.EnvironmentVariables;
import dev.ems.core.config.Secrets;
import dev.ems.core.config.StartupException;
import dev.ems.core.tracing.Tracing;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbStatements;
import io.helidon.dbclient.jdbc.JdbcClientBuilder;
import io.helidon.dbclient.jdbc.JdbcConnectionPool;
import io.helidon.health.HealthCheckResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * A service's database: the DbClient (Hikari pool) with the service's named statements, the versioned Flyway
 * migrations under {@code db/migration/<service>} (a folder per service, so that no service ever runs another's),
 * and, in the {@code local} profile, the embedded PostgreSQL itself ({@link LocalPostgres}).
 * <p>
 * The service starts whether or not the database is up: migrations are retried in the background until they run,
 * readiness stays DOWN until then, and API requests get 503 meanwhile. Liveness never depends on the database.
 * <p>
 * Two database roles: the pool connects as the service's own role ({@code user}, {@code password}), which may only
 * read and write what the code needs; the migrations run as the owner of the tables ({@code migration.user},
 * {@code migration.password}), and the migrations' GRANTs name the service's role (the Flyway placeholder
 * {@code ${service_role}}). With {@code migration.enabled=false} the migrations are someone else's job
 * ({@code dev.ems.core.server.Migrate}, e.g. a Kubernetes init container that alone holds the owner's password): the
 * service then only validates, as its own role, that the schema is migrated, and stays not ready until it is.
 * <p>
 * Settings (under the service's key, e.g. {@code user.service.db}): host, port, user, password (a secret, see
 * {@link Secrets}), name, migration.enabled, migration.user, migration.password (a secret; needed only when
 * migration.enabled), pool-size, connect-timeout (ms to wait for a pooled connection), socket-timeout (s), embedded,
 * data-dir.
 */
public final class Database implements AutoCloseable {
    private static final System.Logger LOGGER = System.getLogger(Database.class.getName());
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(10);

    private final String service;
    private final DbClient client;
    /** Statements of core itself (the audit outbox), added to every service's own. */
    private static final String CORE_STATEMENTS = "ems-core-statements.yaml";

    private final List<Flyway> schemas;
    private final boolean migrate;
    private final LocalPostgres.Server localPostgres;
    private final AtomicReference<String> migrationProblem = new AtomicReference<>("not migrated yet");
    private final Thread migrator;
    private volatile boolean migrated;

    private Database(
            String service,
            DbClient client,
            List<Flyway> schemas,
            boolean migrate,
            LocalPostgres.Server localPostgres) {
        this.service = service;
        this.client = client;
        this.schemas = schemas;
        this.migrate = migrate;
        this.localPostgres = localPostgres;
        // one attempt right away, so a healthy start is ready at once; retries go on in the background
        if (!migrateOnce()) {
            this.migrator = Thread.ofVirtual().name(service + "-migrations").start(this::migrateUntilDone);
        } else {
            this.migrator = null;
        }
    }

    /**
     * The service's database: connection pool and named statements (on the embedded PostgreSQL if the settings ask
     * for it), and its migrations, applied now or, while the database is away, in the background until they are.
     *
     * @param service    service name (pool name, application_name)
     * @param settings   the service's {@code db} settings node
     * @param statements the node holding {@code statements:} (the service's named SQL)
     * @param tracing    the service's tracing, for a span per statement ({@link SqlSpans})
     */
    public static Database start(String service, Config settings, Config statements, Tracing tracing) {
        String host = settings.get("host").asString().get();
        int port = settings.get("port").asInt().get();
        String name = settings.get("name").asString().get();
        String user = settings.get("user").asString().get();
        String password = Secrets.require(settings.get("password"), 1);
        boolean migrate = settings.get("migration.enabled").asBoolean().get();
        // the owner's password only where this process runs the migrations
        Credentials migrations = migrate ? owner(settings) : new Credentials(user, password);

        LocalPostgres.Server local = null;
        if (settings.get("embedded").asBoolean().orElse(false)) {
            Path dataDir = Path.of(settings.get("data-dir").asString().orElse(".data/" + service));
            local = LocalPostgres.find(settings).start(dataDir, port, name, migrations.user(), user);
            host = "localhost";
        }
        String url = "jdbc:postgresql://" + host + ":" + port + "/" + name;

        Map<String, String> pool = new HashMap<>();
        pool.put("url", url);
        pool.put("username", user);
        pool.put("password", password);
        pool.put("poolName", service.replace('-', '_'));
        pool.put(
                "maximumPoolSize",
                String.valueOf(settings.get("pool-size").asInt().get()));
        pool.put(
                "connectionTimeout",
                String.valueOf(settings.get("connect-timeout").asLong().get()));
        // start even with the database down; readiness reports it
        pool.put("initializationFailTimeout", "-1");
        pool.put("dataSource.ApplicationName", service);
        pool.put("dataSource.connectTimeout", "5");
        pool.put(
                "dataSource.socketTimeout",
                String.valueOf(settings.get("socket-timeout").asInt().get()));
        JdbcConnectionPool connectionPool = JdbcConnectionPool.create(Config.just(ConfigSources.create(pool)));
        DbClient client = JdbcClientBuilder.create()
                .config(statements)
                .statements(DbStatements.builder()
                        .config(statements.get("statements"))
                        .config(Config.just(ConfigSources.classpath(CORE_STATEMENTS))
                                .get("statements"))
                        .build())
                .connectionPool(connectionPool)
                .addService(new SqlSpans(tracing))
                .build();
        return new Database(service, client, schemas(service, url, migrations, user, 0), migrate, local);
    }

    /**
     * Runs the migrations of {@code service} once, as the owner ({@code migration.user}), retrying the connection
     * while the database starts; for {@code dev.ems.core.server.Migrate}, the one-shot run of a deployment that keeps
     * the owner's password out of the service's own process. A {@link StartupException} says why they did not run.
     */
    public static void migrate(String service, Config settings) {
        String url = "jdbc:postgresql://" + settings.get("host").asString().get() + ":"
                + settings.get("port").asInt().get() + "/"
                + settings.get("name").asString().get();
        List<Flyway> schemas = schemas(
                service, url, owner(settings), settings.get("user").asString().get(), 10);
        try {
            for (Flyway schema : schemas) {
                log(schema, schema.migrate().migrationsExecuted);
            }
        } catch (FlywayException e) {
            throw new StartupException("the migrations did not run: " + DbErrors.describe(e));
        }
    }

    /** The owner's credentials, which must name another role than the pool's: the service never owns its tables. */
    private static Credentials owner(Config settings) {
        Config migration = settings.get("migration");
        String owner = migration.get("user").asString().get();
        if (owner.equals(settings.get("user").asString().get())) {
            throw new StartupException(EnvironmentVariables.forKey(migration.key() + ".user") + " and "
                    + EnvironmentVariables.forKey(settings.key() + ".user") + " name the same role (" + owner
                    + "): the migrations run as the owner of the tables, the service as a role of its own that"
                    + " may only read and write them");
        }
        return new Credentials(owner, Secrets.require(migration.get("password"), 1));
    }

    /**
     * The service's schema and core's (the audit outbox), versioned apart, in their own history tables; {@code
     * serviceRole} is the placeholder the migrations' GRANTs name. Every replica migrates at start: Flyway holds a
     * PostgreSQL advisory lock while it does, and an attempt that fails anyway is retried in the background.
     */
    private static List<Flyway> schemas(
            String service, String url, Credentials credentials, String serviceRole, int connectRetries) {
        Map<String, String> placeholders = Map.of("service_role", serviceRole);
        Flyway serviceSchema = Flyway.configure()
                .dataSource(url, credentials.user(), credentials.password())
                .locations("classpath:db/migration/" + service)
                .placeholders(placeholders)
                .connectRetries(connectRetries)
                .load();
        Flyway coreSchema = Flyway.configure()
                .dataSource(url, credentials.user(), credentials.password())
                .locations("classpath:db/migration/ems-core")
                .table("ems_core_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .placeholders(placeholders)
                .connectRetries(connectRetries)
                .load();
        return List.of(serviceSchema, coreSchema);
    }

    private record Credentials(String user, String password) {}

    public DbClient client() {
        return client;
    }

    public boolean migrated() {
        return migrated;
    }

    /** Readiness of the database: migrations applied and a round trip works. */
    public HealthCheckResponse health() {
        if (!migrated) {
            return HealthCheckResponse.builder()
                    .status(false)
                    .detail("migrations", migrationProblem.get())
                    .build();
        }
        try {
            long rows = client.execute().query("SELECT 1").count();
            return HealthCheckResponse.builder()
                    .status(rows == 1)
                    .detail("migrations", "applied")
                    .build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.builder()
                    .status(false)
                    .detail("error", DbErrors.summary(e))
                    .build();
        }
    }

    private boolean migrateOnce() {
        try {
            for (Flyway schema : schemas) {
                if (migrate) {
                    log(schema, schema.migrate().migrationsExecuted);
                } else {
                    schema.validate(); // throws while a migration is pending or differs from the jar's
                    log(schema, 0);
                }
            }
            migrated = true;
            migrationProblem.set(null);
            return true;
        } catch (RuntimeException e) {
            migrationProblem.set(DbErrors.summary(e));
            LOGGER.log(
                    System.Logger.Level.WARNING,
                    (migrate ? "migrations could not run yet: " : "the schema is not migrated yet: ")
                            + DbErrors.describe(e));
            return false;
        }
    }

    private static void log(Flyway schema, int applied) {
        LOGGER.log(
                System.Logger.Level.INFO,
                "schema " + schema.getConfiguration().getTable() + " at version "
                        + schema.info().current().getVersion() + " (" + applied + " applied now)");
    }

    private void migrateUntilDone() {
        Duration delay = Duration.ofMillis(500);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                return;
            }
            if (migrateOnce()) {
                return;
            }
            delay = delay.multipliedBy(2).compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : delay.multipliedBy(2);
        }
    }

    @Override
    public void close() {
        if (migrator != null) {
            migrator.interrupt();
        }
        client.close();
        if (localPostgres != null) {
            localPostgres.close();
        }
        LOGGER.log(System.Logger.Level.INFO, service + " database closed");
    }
}
