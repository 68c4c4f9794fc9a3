package dev.ems.testing;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real PostgreSQL for tests: one embedded server per test JVM (started on first use, stopped at JVM exit), and a
 * fresh database per test class, so classes never see each other's rows.
 */
public final class TestPostgres {
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

    /** Creates an empty database on the shared server and returns its name. */
    public static String createDatabase() {
        String name = "test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = shared().getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database", e);
        }
        return name;
    }

    /**
     * The service's {@code application.yaml} with its database pointed at a fresh database on the shared server,
     * plus {@code overrides}. Environment variables and system properties are left out so tests are deterministic.
     */
    public static Config serviceConfig(String service, Map<String, String> overrides) {
        return serviceConfig(service, shared().getPort(), createDatabase(), overrides);
    }

    /** As {@link #serviceConfig(String, Map)}, against any PostgreSQL on localhost. */
    public static Config serviceConfig(String service, int port, String database, Map<String, String> overrides) {
        String prefix = service.replace('-', '.');
        Map<String, String> values = new HashMap<>();
        values.put(prefix + ".db.host", "localhost");
        values.put(prefix + ".db.port", String.valueOf(port));
        values.put(prefix + ".db.name", database);
        // a secret outside the local profile (Secrets); the test server trusts local connections and ignores it
        values.put(prefix + ".db.password", "test-database-password");
        values.put(prefix + ".db.pool-size", "8");
        values.put(prefix + ".shutdown.drain", "PT0S");
        values.put("server.shutdown-grace-period", "PT0.5S");
        values.putAll(overrides);
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(
                        ConfigSources.create(values),
                        ConfigSources.create(serviceYaml(prefix), MediaTypes.APPLICATION_X_YAML))
                .build();
    }

    /**
     * The service's own {@code application.yaml}: when several services share a test classpath (end-to-end tests),
     * the one that configures {@code prefix}, not merely the first found.
     */
    private static String serviceYaml(String prefix) {
        try {
            Enumeration<URL> candidates = TestPostgres.class.getClassLoader().getResources("application.yaml");
            while (candidates.hasMoreElements()) {
                URL url = candidates.nextElement();
                String yaml;
                try (InputStream in = url.openStream()) {
                    yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                Config candidate = Config.just(ConfigSources.create(yaml, MediaTypes.APPLICATION_X_YAML));
                if (candidate.get(prefix).exists()) {
                    return yaml;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no application.yaml on the classpath configures " + prefix);
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
}
