package dev.ems.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ems.core.audit.OutboxRelay;
import dev.ems.core.config.StartupException;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The runtime's own lifecycle, without a database (it starts without one and keeps trying). */
class ServiceRuntimeTest {

    @Test
    void backgroundWorkStopsWithTheService() throws IOException {
        int nothingListens = freePort();
        Map<String, String> settings = settings(nothingListens);
        settings.put("test.service.db.password", "test-database-password");
        settings.put("test.service.db.migration.password", "test-owner-password");
        ServiceRuntime runtime = ServiceRuntime.create("test-service", Config.just(ConfigSources.create(settings)));
        AtomicInteger runs = new AtomicInteger();
        runtime.every("test-job", Duration.ofMillis(10), runs::incrementAndGet);
        OutboxRelay relay = runtime.startAuditRelay();
        AtomicBoolean clientClosed = new AtomicBoolean();
        runtime.closeAtShutdown(() -> clientClosed.set(true));
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() > 0);
        assertThat(relay.health().details()).containsEntry("running", true);

        runtime.close();

        int afterClose = runs.get();
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> runs.get() == afterClose);
        assertThat(relay.health().details()).as("audit outbox relay").containsEntry("running", false);
        assertThat(clientClosed).as("a resource registered for shutdown").isTrue();
    }

    @Test
    void aMissingDatabasePasswordStopsTheStartNamingItsVariable() {
        assertThatThrownBy(
                        () -> ServiceRuntime.create("test-service", Config.just(ConfigSources.create(settings(5432)))))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("TEST_SERVICE_DB_PASSWORD is not set");
    }

    @Test
    void theMigrationsNeedTheOwnersPasswordUnlessTheyRunElsewhere() throws IOException {
        Map<String, String> settings = settings(freePort());
        settings.put("test.service.db.password", "test-database-password");
        assertThatThrownBy(() -> ServiceRuntime.create("test-service", Config.just(ConfigSources.create(settings))))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("TEST_SERVICE_DB_MIGRATION_PASSWORD is not set");

        // migrations run apart (Migrate): the service validates as its own role and never reads the owner's password
        settings.put("test.service.db.migration.enabled", "false");
        assertThatCode(() -> ServiceRuntime.create("test-service", Config.just(ConfigSources.create(settings)))
                        .close())
                .doesNotThrowAnyException();
    }

    @Test
    void theServiceRoleMustNotBeTheOwner() throws IOException {
        Map<String, String> settings = settings(freePort());
        settings.put("test.service.db.password", "test-database-password");
        settings.put("test.service.db.migration.password", "test-owner-password");
        settings.put("test.service.db.migration.user", "test_service");
        assertThatThrownBy(() -> ServiceRuntime.create("test-service", Config.just(ConfigSources.create(settings))))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("TEST_SERVICE_DB_MIGRATION_USER and TEST_SERVICE_DB_USER name the same role");
    }

    /** What a service's application.yaml holds (every default is there) and its issuer, less the database password. */
    private static Map<String, String> settings(int port) {
        Map<String, String> settings = new HashMap<>();
        settings.put("test.service.log.level", "warn");
        settings.put("test.service.shutdown.drain", "PT0S");
        settings.put("test.service.db.host", "localhost");
        settings.put("test.service.db.port", String.valueOf(port));
        settings.put("test.service.db.name", "test");
        settings.put("test.service.db.user", "test_service");
        settings.put("test.service.db.migration.enabled", "true");
        settings.put("test.service.db.migration.user", "test_owner");
        settings.put("test.service.db.pool-size", "2");
        settings.put("test.service.db.connect-timeout", "250");
        settings.put("test.service.db.socket-timeout", "5");
        settings.put("test.service.audit.url", "http://localhost:" + port);
        settings.put("test.service.audit.batch-size", "10");
        settings.put("test.service.audit.poll-interval", "50ms");
        settings.put("test.service.audit.max-backoff", "1s");
        settings.put("test.service.audit.connect-timeout", "1s");
        settings.put("test.service.audit.read-timeout", "1s");
        // the issuer (nothing listens there: the runtime fetches its keys and a token only when a request needs them)
        settings.put("ems.auth.issuer", "http://localhost:" + port);
        settings.put("ems.auth.audience", "ems-tests");
        settings.put("ems.auth.jwks.uri", "http://localhost:" + port + "/jwks");
        settings.put("ems.auth.token.uri", "http://localhost:" + port + "/token");
        settings.put("ems.auth.roles.claim", "roles");
        settings.put("test.service.auth.client.id", "test-service");
        settings.put("test.service.auth.client.secret", "test-service-client-secret");
        settings.put("test.service.auth.client.timeout", "1s");
        settings.put("test.service.auth.client.scope", "");
        settings.put("test.service.auth.client.audience", "");
        return settings;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
