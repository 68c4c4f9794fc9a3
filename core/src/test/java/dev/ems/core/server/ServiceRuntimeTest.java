package dev.ems.core.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.ems.core.audit.OutboxRelay;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The runtime's own lifecycle, without a database (it starts without one and keeps trying). */
class ServiceRuntimeTest {

    @Test
    void backgroundWorkStopsWithTheService() throws IOException {
        int nothingListens = freePort();
        ServiceRuntime runtime = ServiceRuntime.create("test-service", Config.just(ConfigSources.create(Map.of(
                "test.service.db.port", String.valueOf(nothingListens),
                "test.service.db.password", "test-database-password",
                "test.service.audit.url", "http://localhost:" + nothingListens))));
        Periodic job = runtime.every("test-job", Duration.ofMillis(10), () -> { });
        OutboxRelay relay = runtime.startAuditRelay();
        AtomicBoolean clientClosed = new AtomicBoolean();
        runtime.closeAtShutdown(() -> clientClosed.set(true));
        assertThat(job.isRunning()).isTrue();
        assertThat(relay.isRunning()).isTrue();

        runtime.close();

        assertThat(job.isRunning()).as("periodic job").isFalse();
        assertThat(relay.isRunning()).as("audit outbox relay").isFalse();
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
