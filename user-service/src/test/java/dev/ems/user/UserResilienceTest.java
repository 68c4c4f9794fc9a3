package dev.ems.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.core.server.ServiceRuntime;
import dev.ems.testing.ServiceConfigs;
import dev.ems.testing.TestIssuer;
import dev.ems.testing.TestPostgres;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service around its failures: the database going away and coming back, starting without a database,
 * a graceful shutdown under an in-flight request, and the documented environment variables in a real process. Every
 * request is an admin's of the tests' issuer ({@link TestIssuer}), which each service here trusts.
 */
class UserResilienceTest {
    private static final String USER_JSON = "{\"email\":\"%s\",\"first_name\":\"Grace\",\"last_name\":\"Hopper\"}";
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String bearer = TestIssuer.bearer(TestIssuer.adminToken());

    @TempDir
    Path tempDir;

    @Test
    void databaseOutageMakesTheServiceUnreadyButAliveAndItRecoversAlone() throws Exception {
        int pgPort = freePort();
        Path data = tempDir.resolve("pg");
        EmbeddedPostgres pg = startPostgres(data, pgPort);
        ServiceRuntime runtime = ServiceRuntime.create(Main.SERVICE, config(pgPort, "postgres"));
        WebServer server =
                runtime.start(routing -> Main.routing(routing, runtime.db(), Main.auditTrail(runtime.config())));
        String base = "http://localhost:" + server.port();
        try {
            assertThat(get(base + "/health/ready").statusCode()).isEqualTo(204);
            HttpResponse<String> created = postUser(base, "outage@example.com");
            assertThat(created.statusCode()).isEqualTo(201);
            String location = created.headers().firstValue("Location").orElseThrow();

            pg.close();

            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() ->
                            assertThat(get(base + "/health/ready").statusCode()).isEqualTo(503));
            assertThat(get(base + "/health/live").statusCode()).isEqualTo(204);
            HttpResponse<String> refused = postUser(base, "during-outage@example.com");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body())
                    .contains("\"code\":\"SERVICE_UNAVAILABLE\"")
                    .doesNotContain("Exception", "jdbc");
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(get(base + location).statusCode()).isEqualTo(503);

            pg = startPostgres(data, pgPort);

            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() ->
                            assertThat(get(base + "/health/ready").statusCode()).isEqualTo(204));
            HttpResponse<String> after = get(base + location);
            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(after.body()).contains("outage@example.com");
        } finally {
            runtime.shutdown(server);
            pg.close();
        }
    }

    @Test
    void startsWithoutADatabaseAndBecomesReadyWhenItArrives() throws Exception {
        int pgPort = freePort();
        ServiceRuntime runtime = ServiceRuntime.create(Main.SERVICE, config(pgPort, "postgres"));
        WebServer server =
                runtime.start(routing -> Main.routing(routing, runtime.db(), Main.auditTrail(runtime.config())));
        String base = "http://localhost:" + server.port();
        EmbeddedPostgres pg = null;
        try {
            assertThat(get(base + "/health/live").statusCode()).isEqualTo(204);
            assertThat(get(base + "/health/ready").statusCode()).isEqualTo(503);
            HttpResponse<String> early = postUser(base, "early@example.com");
            assertThat(early.statusCode()).isEqualTo(503);
            assertThat(early.body()).contains("\"code\":\"SERVICE_UNAVAILABLE\"");

            pg = startPostgres(tempDir.resolve("late-pg"), pgPort);

            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() ->
                            assertThat(get(base + "/health/ready").statusCode()).isEqualTo(204));
            assertThat(postUser(base, "late@example.com").statusCode()).isEqualTo(201);
        } finally {
            runtime.shutdown(server);
            if (pg != null) {
                pg.close();
            }
        }
    }

    @Test
    void healthDetailsNameTheProblemInFixedWordsNeverInternals() throws Exception {
        int pgPort = freePort(); // nothing listens there
        ServiceRuntime runtime = ServiceRuntime.create(
                Main.SERVICE,
                ServiceConfigs.of(
                        Main.SERVICE,
                        pgPort,
                        "postgres",
                        Map.of(
                                "user.service.port", "0",
                                "user.service.db.connect-timeout", "1000",
                                "server.features.observe.observers.health.details", "true")));
        WebServer server =
                runtime.start(routing -> Main.routing(routing, runtime.db(), Main.auditTrail(runtime.config())));
        try {
            HttpResponse<String> ready = get("http://localhost:" + server.port() + "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body())
                    .contains("\"database\"", "connection refused")
                    .doesNotContain("localhost", String.valueOf(pgPort), "Exception", "jdbc", "postgresql");
        } finally {
            runtime.shutdown(server);
        }
    }

    @Test
    void gracefulShutdownLetsAnInFlightRequestFinish() throws Exception {
        String database = TestPostgres.createDatabase();
        ServiceRuntime runtime = ServiceRuntime.create(
                Main.SERVICE,
                ServiceConfigs.of(
                        Main.SERVICE,
                        TestPostgres.shared().getPort(),
                        database,
                        Map.of(
                                "user.service.port", "0",
                                "user.service.shutdown.drain", "PT1S",
                                "server.shutdown-grace-period", "PT10S")));
        WebServer server =
                runtime.start(routing -> Main.routing(routing, runtime.db(), Main.auditTrail(runtime.config())));
        String base = "http://localhost:" + server.port();
        HttpResponse<String> created = postUser(base, "inflight@example.com");
        String location = created.headers().firstValue("Location").orElseThrow();
        String id = location.substring(location.lastIndexOf('/') + 1);

        CompletableFuture<HttpResponse<String>> inFlight;
        CompletableFuture<Void> shutdown;
        try (Connection lock =
                TestPostgres.shared().getDatabase("postgres", database).getConnection()) {
            // hold the row lock so that the PUT below waits inside the service, mid-request
            lock.setAutoCommit(false);
            try (Statement s = lock.createStatement()) {
                s.execute("SELECT 1 FROM users WHERE id = '" + UUID.fromString(id) + "' FOR UPDATE");
            }
            inFlight = http.sendAsync(
                    HttpRequest.newBuilder(URI.create(base + location))
                            .header("Authorization", bearer)
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString(USER_JSON.formatted("renamed@example.com")))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(10)).until(() -> waitingOnLock(lock));

            shutdown = CompletableFuture.runAsync(() -> runtime.shutdown(server));
            // while draining, readiness is DOWN but the server still answers
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() ->
                            assertThat(get(base + "/health/ready").statusCode()).isEqualTo(503));
            Thread.sleep(1500); // past the drain: the server is stopping, the PUT still waits
            assertThat(inFlight).isNotDone();
            lock.commit();
        }
        HttpResponse<String> finished = inFlight.get(15, TimeUnit.SECONDS);
        assertThat(finished.statusCode()).isEqualTo(200);
        assertThat(finished.body()).contains("renamed@example.com");
        shutdown.get(20, TimeUnit.SECONDS);
        assertThat(server.isRunning()).isFalse();
    }

    @Test
    void documentedEnvironmentVariablesConfigureARealProcess() throws Exception {
        String database = TestPostgres.createDatabase();
        int port = freePort();
        Process process = startProcess(
                port,
                Map.of(
                        "USER_SERVICE_DB_NAME", database,
                        "USER_SERVICE_LOG_LEVEL", "debug",
                        "USER_SERVICE_RATE_LIMIT", "1",
                        "USER_SERVICE_RATE_BURST", "3"));
        String base = "http://localhost:" + port;
        try {
            assertThat(postUser(base, "env@example.com").statusCode()).isEqualTo(201);
            // USER_SERVICE_DB_* pointed it at this very database
            try (Connection c = TestPostgres.shared()
                            .getDatabase("postgres", database)
                            .getConnection();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM users WHERE email = 'env@example.com'")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            // USER_SERVICE_RATE_LIMIT=1/s with a burst of 3: the next calls run dry at once
            HttpResponse<String> limited = null;
            for (int i = 0; i < 5 && limited == null; i++) {
                HttpResponse<String> res = get(base + "/api/v1/users");
                if (res.statusCode() == 429) {
                    limited = res;
                }
            }
            assertThat(limited).as("a 429 within 5 calls").isNotNull();
            assertThat(limited.body()).contains("\"code\":\"RATE_LIMIT_EXCEEDED\"");
            assertThat(limited.headers().firstValue("Retry-After"))
                    .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
            // health and metrics are exempt from the limit; the 429 is counted as a 429
            assertThat(get(base + "/health/live").statusCode()).isEqualTo(204);
            String metrics = get(base + "/metrics").body();
            assertThat(metrics)
                    .containsPattern("user_service_requests_total\\{[^}]*path=\"/api/v1/users\"[^}]*status=\"429\"")
                    .containsPattern("user_service_errors_total\\{[^}]*type=\"RATE_LIMIT_EXCEEDED\"");
        } finally {
            process.destroy(); // SIGTERM: the graceful path
            assertThat(process.waitFor(30, TimeUnit.SECONDS))
                    .as("exits after SIGTERM")
                    .isTrue();
        }
        String log = Files.readString(tempDir.resolve("service.log"));
        // USER_SERVICE_LOG_LEVEL=debug: debug lines appear; every line is a JSON object
        assertThat(log).contains("\"level\":\"debug\"");
        assertThat(log.lines().filter(l -> !l.isBlank())).allMatch(l -> l.startsWith("{") && l.endsWith("}"));
        assertThat(log).contains("\"logger\":\"dev.ems.access\"", "\"status\":201", "\"service\":\"user-service\"");
        // the rate-limited answer is logged with its real status, and logging survives the JVM's shutdown
        assertThat(log)
                .contains("\"status\":429", "user-service shutting down", "\"message\":\"user-service stopped\"");
    }

    @Test
    void aRateLimitAloneThrottlesABurstToTwiceTheLimit() throws Exception {
        int port = freePort();
        // USER_SERVICE_RATE_BURST unset: the bucket holds twice the limit, 10
        Process process = startProcess(
                port, Map.of("USER_SERVICE_DB_NAME", TestPostgres.createDatabase(), "USER_SERVICE_RATE_LIMIT", "5"));
        String base = "http://localhost:" + port;
        try {
            int ok = 0;
            int limited = 0;
            for (int i = 0; i < 60; i++) {
                int status = get(base + "/api/v1/users").statusCode();
                if (status == 200) {
                    ok++;
                } else if (status == 429) {
                    limited++;
                }
            }
            // 10 at once, plus 5 per second of the burst's own duration
            assertThat(ok).as("served").isBetween(10, 20);
            assertThat(ok + limited).as("every answer a 200 or a 429").isEqualTo(60);
        } finally {
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS))
                    .as("exits after SIGTERM")
                    .isTrue();
        }
    }

    /**
     * user-service's Main in a JVM of its own, configured by environment variables only (the tests' issuer's too);
     * returns once it is ready.
     */
    private Process startProcess(int port, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(tempDir.resolve("service.log").toFile());
        // the JVM would announce JAVA_TOOL_OPTIONS (CI sets it for the temp dir, passed on above) on a non-JSON line
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment()
                .putAll(Map.of(
                        "USER_SERVICE_PORT",
                        String.valueOf(port),
                        "USER_SERVICE_DB_HOST",
                        "localhost",
                        "USER_SERVICE_DB_PORT",
                        String.valueOf(TestPostgres.shared().getPort()),
                        "USER_SERVICE_DB_USER",
                        TestPostgres.SERVICE_ROLE,
                        "USER_SERVICE_DB_PASSWORD",
                        "not-needed-with-trust-auth",
                        "USER_SERVICE_DB_MIGRATION_USER",
                        TestPostgres.OWNER,
                        "USER_SERVICE_DB_MIGRATION_PASSWORD",
                        "not-needed-either",
                        "EMS_AUDIT_PSEUDONYMISATION_KEY",
                        ServiceConfigs.PSEUDONYMISATION_KEY));
        builder.environment().putAll(TestIssuer.environment(Main.SERVICE));
        builder.environment().putAll(environment);
        Process process = builder.start();
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .failFast("the service process exited", () -> {
                    if (process.isAlive()) {
                        return false;
                    }
                    System.out.println(Files.readString(tempDir.resolve("service.log")));
                    return true;
                })
                .untilAsserted(() -> assertThat(get("http://localhost:" + port + "/health/ready")
                                .statusCode())
                        .isEqualTo(204));
        return process;
    }

    private static boolean waitingOnLock(Connection c) throws Exception {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }

    private static Config config(int pgPort, String database) {
        return ServiceConfigs.of(
                Main.SERVICE,
                pgPort,
                database,
                Map.of(
                        "user.service.port", "0",
                        "user.service.db.connect-timeout", "1000"));
    }

    private static EmbeddedPostgres startPostgres(Path dataDir, int port) throws IOException {
        EmbeddedPostgres started = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
        TestPostgres.prepare(started, "postgres");
        return started;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", bearer)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postUser(String base, String email) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/users"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", bearer)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(USER_JSON.formatted(email)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
