package dev.ems.core.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ems.core.audit.OutboxRelay;
import dev.ems.core.config.StartupException;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The runtime's own lifecycle, without a database (it starts without one and keeps trying). */
class ServiceRuntimeTest {

    @Test
    void backgroundWorkStopsWithTheService() throws IOException {
        int nothingListens = freePort();
        ServiceRuntime runtime = ServiceRuntime.create("test-service", Config.just(ConfigSources.create(Map.of(
                "test.service.db.port", String.valueOf(nothingListens),
                "test.service.db.password", "test-database-password",
                "test.service.audit.url", "http://localhost:" + nothingListens))));
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
        assertThatThrownBy(() -> ServiceRuntime.create("test-service", Config.just(ConfigSources.create(Map.of(
                "test.service.db.host", "localhost")))))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("TEST_SERVICE_DB_PASSWORD is not set");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
