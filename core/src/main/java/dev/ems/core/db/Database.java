package dev.ems.core.db;

import dev.ems.core.config.Secrets;
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

/**
 * A service's database: the DbClient (Hikari pool) with the service's named statements, the versioned Flyway
 * migrations under {@code db/migration/<service>} (a folder per service, so that no service ever runs another's),
 * and, in the {@code local} profile, the embedded PostgreSQL itself ({@link LocalPostgres}).
 * <p>
 * The service starts whether or not the database is up: migrations are retried in the background until they run,
 * readiness stays DOWN until then, and API requests get 503 meanwhile. Liveness never depends on the database.
 * <p>
 * Settings (under the service's key, e.g. {@code user.service.db}): host, port, user, password (a secret, see
 * {@link Secrets}), name, pool-size,
 * connect-timeout (ms to wait for a pooled connection), socket-timeout (s), embedded, data-dir.
 */
public final class Database implements AutoCloseable {
    private static final System.Logger LOGGER = System.getLogger(Database.class.getName());
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(10);

    private final String service;
    private final DbClient client;
    /** Statements of core itself (the audit outbox), added to every service's own. */
    private static final String CORE_STATEMENTS = "ems-core-statements.yaml";

    private final List<Flyway> schemas;
    private final LocalPostgres.Server localPostgres;
    private final AtomicReference<String> migrationProblem = new AtomicReference<>("not migrated yet");
    private final Thread migrator;
    private volatile boolean migrated;

    private Database(String service, DbClient client, List<Flyway> schemas, LocalPostgres.Server localPostgres) {
        this.service = service;
        this.client = client;
        this.schemas = schemas;
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
     */
    public static Database start(String service, Config settings, Config statements) {
        String host = settings.get("host").asString().get();
        int port = settings.get("port").asInt().get();
        String name = settings.get("name").asString().get();
        String user = settings.get("user").asString().get();
        String password = Secrets.require(settings.get("password"), 1);

        LocalPostgres.Server local = null;
        if (settings.get("embedded").asBoolean().orElse(false)) {
            Path dataDir = Path.of(settings.get("data-dir").asString().orElse(".data/" + service));
            local = LocalPostgres.find(settings).start(dataDir, port, name);
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
                .build();
        Flyway serviceSchema = Flyway.configure()
                .dataSource(url, user, password)
                .locations("classpath:db/migration/" + service)
                .connectRetries(0)
                .load();
        // core's own tables (the audit outbox) are versioned apart from the service's, in their own history table
        Flyway coreSchema = Flyway.configure()
                .dataSource(url, user, password)
                .locations("classpath:db/migration/ems-core")
                .table("ems_core_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .connectRetries(0)
                .load();
        return new Database(service, client, List.of(serviceSchema, coreSchema), local);
    }

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
                var result = schema.migrate();
                LOGGER.log(
                        System.Logger.Level.INFO,
                        "schema " + schema.getConfiguration().getTable() + " at version "
                                + schema.info().current().getVersion() + " (" + result.migrationsExecuted
                                + " applied now)");
            }
            migrated = true;
            migrationProblem.set(null);
            return true;
        } catch (RuntimeException e) {
            migrationProblem.set(DbErrors.summary(e));
            LOGGER.log(System.Logger.Level.WARNING, "migrations could not run yet: " + DbErrors.describe(e));
            return false;
        }
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
