package dev.ems.localpostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ems.core.config.StartupException;
import dev.ems.core.db.LocalPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local profile's PostgreSQL survives a hard kill of its service: the next start stops the orphaned server,
 * keeps the data, and still refuses what belongs to someone else.
 */
class EmbeddedLocalPostgresTest {
    private final LocalPostgres local = new EmbeddedLocalPostgres();

    @TempDir
    Path tempDir;

    @Test
    void isFoundThroughTheServiceLoader() {
        assertThat(java.util.ServiceLoader.load(LocalPostgres.class).findFirst())
                .get()
                .isInstanceOf(EmbeddedLocalPostgres.class);
    }

    @Test
    void aServiceKilledHardLeavesAServerTheNextStartStopsKeepingTheData() throws Exception {
        Path data = tempDir.resolve("pgdata");
        int port = freePort();
        Process owner = startOwner(data, port, "before-the-kill");
        owner.destroyForcibly(); // SIGKILL: no shutdown hook, the server is orphaned
        assertThat(owner.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long orphanPid = Long.parseLong(
                Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
        assertThat(ProcessHandle.of(orphanPid))
                .as("the orphaned server still runs")
                .get()
                .satisfies(p -> assertThat(p.isAlive()).isTrue());
        assertThat(accepts(port)).as("and holds the port").isTrue();

        try (LocalPostgres.Server again = local.start(data, port, "app", "app_owner", "app_service")) {
            assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false))
                    .as("orphan stopped")
                    .isFalse();
            assertThat(values(port)).as("the data is kept").containsExactly("before-the-kill");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !accepts(port));
        assertThat(Files.exists(data.resolve("postmaster.pid")))
                .as("stopped cleanly at close")
                .isFalse();
    }

    @Test
    void aPortHeldByAnythingElseIsRefused() throws Exception {
        try (ServerSocket other = new ServerSocket()) {
            other.bind(new InetSocketAddress("localhost", 0));
            assertThatThrownBy(() -> local.start(
                            tempDir.resolve("pgdata"), other.getLocalPort(), "app", "app_owner", "app_service"))
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("port " + other.getLocalPort() + " for the embedded PostgreSQL is in use");
        }
    }

    @Test
    void aDataDirectoryInUseByARunningServiceIsRefusedAndItsServerKeepsRunning() throws Exception {
        Path data = tempDir.resolve("pgdata");
        int port = freePort();
        Process owner = startOwner(data, port, "owned");
        try {
            assertThatThrownBy(() -> local.start(data, freePort(), "app", "app_owner", "app_service"))
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("is in use by a running service");
            assertThat(values(port)).containsExactly("owned");
        } finally {
            owner.destroy(); // the owner's server is then an orphan of this test: stop it the way a restart would
            owner.waitFor(30, TimeUnit.SECONDS);
            local.start(data, port, "app", "app_owner", "app_service").close();
        }
    }

    @Test
    void aStalePidFileOfAServerLongGoneDoesNotStopTheStart() throws Exception {
        Path data = tempDir.resolve("pgdata");
        int port = freePort();
        local.start(data, port, "app", "app_owner", "app_service").close();
        // as after a reboot: the file names a pid that is no PostgreSQL of this directory (here: this JVM)
        Files.writeString(
                data.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n" + data.toRealPath() + "\n");
        try (LocalPostgres.Server again = local.start(data, port, "app", "app_owner", "app_service")) {
            assertThat(accepts(port)).isTrue();
        }
    }

    @Test
    void theRolesAreCreatedAndADatabaseFromBeforeThemIsHandedToTheOwner() throws Exception {
        Path data = tempDir.resolve("pgdata");
        int port = freePort();
        try (LocalPostgres.Server first = local.start(data, port, "first", "app_owner", "app_service")) {
            // a run from before the roles: its database and tables belong to the superuser
            sql(port, "postgres", "CREATE DATABASE older");
            sql(port, "older", "CREATE TABLE kept (id bigserial PRIMARY KEY)");
        }
        try (LocalPostgres.Server again = local.start(data, port, "older", "app_owner", "app_service")) {
            assertThat(
                            query(
                                    port,
                                    "SELECT string_agg(rolname || ':' || rolsuper || rolcreatedb || rolcreaterole"
                                            + " || rolcanlogin, ',' ORDER BY rolname) FROM pg_roles WHERE rolname LIKE 'app_%'"))
                    .isEqualTo("app_owner:falsefalsefalsetrue,app_service:falsefalsefalsetrue");
            assertThat(query(port, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'older'"))
                    .isEqualTo("app_owner");
            assertThat(query(port, "SELECT tableowner FROM pg_tables WHERE tablename = 'kept'"))
                    .isEqualTo("app_owner");
        }
    }

    @Test
    void servicesStartingTogetherOnAFreshMachineWithTheDocumentedHeapUnpackTheBinariesOnce() throws Exception {
        Path freshTemp = Files.createDirectories(tempDir.resolve("fresh-tmp")); // no binaries unpacked there yet
        Path dataA = tempDir.resolve("pgdata-a");
        Path dataB = tempDir.resolve("pgdata-b");
        int portA = freePort();
        int portB = freePort();
        String[] documentedFlags = {"-XX:+UseSerialGC", "-Xmx64m"};
        Process a = launchOwner(dataA, portA, "a", freshTemp, "a.err", documentedFlags);
        Process b = launchOwner(dataB, portB, "b", freshTemp, "b.err", documentedFlags);
        try {
            awaitReady(a, "a.err");
            awaitReady(b, "b.err");
            assertThat(values(portA)).containsExactly("a");
            assertThat(values(portB)).containsExactly("b");
            String logs = Files.readString(tempDir.resolve("a.err")) + Files.readString(tempDir.resolve("b.err"));
            assertThat(logs.split("unpacking the embedded PostgreSQL binaries", -1))
                    .as("unpacked by one of them, the other waited: " + logs)
                    .hasSize(2);
            assertThat(logs).doesNotContain("OutOfMemoryError").doesNotContain("Extracting Postgres");
        } finally {
            for (Process owner : List.of(a, b)) {
                owner.destroy();
                owner.waitFor(30, TimeUnit.SECONDS);
            }
            // their servers are orphans now: stopped the way a restart would
            local.start(dataA, portA, "app", "app_owner", "app_service").close();
            local.start(dataB, portB, "app", "app_owner", "app_service").close();
        }
        try (LocalPostgres.Server again = local.start(dataA, portA, "app", "app_owner", "app_service")) {
            assertThat(values(portA)).as("a restart keeps the data").containsExactly("a");
        }
    }

    private static void sql(int port, String database, String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(
                        "jdbc:postgresql://localhost:" + port + "/" + database, "postgres", "");
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static String query(int port, String query) throws Exception {
        try (Connection c =
                        DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/older", "postgres", "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    /** A JVM of its own that starts the server on {@code data}, writes {@code value}, and says "ready". */
    private Process startOwner(Path data, int port, String value) throws Exception {
        Process owner = launchOwner(data, port, value, Path.of(System.getProperty("java.io.tmpdir")), "owner.err");
        awaitReady(owner, "owner.err");
        return owner;
    }

    /** As {@link #startOwner} without waiting, with a temp directory of its own and extra JVM options. */
    private Process launchOwner(Path data, int port, String value, Path javaTemp, String errFile, String... jvmOptions)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of(
                "-Djava.io.tmpdir=" + javaTemp,
                "-cp",
                System.getProperty("java.class.path"),
                LocalPostgresOwner.class.getName(),
                data.toString(),
                String.valueOf(port),
                "app",
                value));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(tempDir.resolve(errFile).toFile());
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        return builder.start();
    }

    private void awaitReady(Process owner, String errFile) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
                    try {
                        for (String l = out.readLine(); l != null; l = out.readLine()) {
                            if (l.equals("ready")) {
                                return l;
                            }
                        }
                        return null;
                    } catch (IOException e) {
                        return null;
                    }
                })
                .get(90, TimeUnit.SECONDS);
        assertThat(line)
                .as("the owner started: " + Files.readString(tempDir.resolve(errFile)))
                .isEqualTo("ready");
    }

    private static List<String> values(int port) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c =
                        DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/app", "postgres", "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT value FROM kept")) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
