package dev.ems.testing;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;

/**
 * A service's configuration under test: its own {@code application.yaml}, its database on the tests' PostgreSQL
 * ({@link TestPostgres}, with its roles), the tests' token issuer as the one it trusts and, for a service that calls
 * others, its client secret there ({@link TestIssuer#settings(String)}), the audit trail's pseudonymisation key ({@link
 * #PSEUDONYMISATION_KEY}), then the test's {@code overrides}, which win over all of it.
 * Environment variables and system properties are left out so that tests are deterministic.
 */
public final class ServiceConfigs {
    /**
     * {@code ems.audit.pseudonymisation.key} under test (EMS_AUDIT_PSEUDONYMISATION_KEY for a process of its own), for
     * tests that compute the pseudonyms they expect.
     */
    public static final String PSEUDONYMISATION_KEY = "test-pseudonymisation-key-0123456789abcdef";

    private ServiceConfigs() {}

    /** The configuration of {@code service} on a fresh database of the shared server. */
    public static Config of(String service, Map<String, String> overrides) {
        return of(service, TestPostgres.shared().getPort(), TestPostgres.createDatabase(), overrides);
    }

    /** As {@link #of(String, Map)}, against {@code database} of any PostgreSQL on localhost. */
    public static Config of(String service, int port, String database, Map<String, String> overrides) {
        String prefix = service.replace('-', '.');
        Map<String, String> values = new HashMap<>();
        values.put(prefix + ".db.host", "localhost");
        values.put(prefix + ".db.port", String.valueOf(port));
        values.put(prefix + ".db.name", database);
        // the roles of a deployment (TestPostgres: the owner migrates, the pool has only the migrations' GRANTs); the
        // passwords are secrets outside the local profile (Secrets), which the test server, trusting local
        // connections, ignores
        values.put(prefix + ".db.user", TestPostgres.SERVICE_ROLE);
        values.put(prefix + ".db.password", "test-database-password");
        values.put(prefix + ".db.migration.user", TestPostgres.OWNER);
        values.put(prefix + ".db.migration.password", "test-owner-password");
        values.put(prefix + ".db.pool-size", "8");
        values.put(prefix + ".shutdown.drain", "PT0S");
        values.put("server.shutdown-grace-period", "PT0.5S");
        values.put("ems.audit.pseudonymisation.key", PSEUDONYMISATION_KEY);
        values.putAll(TestIssuer.settings(service));
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
            Enumeration<URL> candidates = ServiceConfigs.class.getClassLoader().getResources("application.yaml");
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
}
