package dev.ems.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A service keeps calling other services while it drains after SIGTERM: its clients' connections are not closed by the
 * JVM's shutdown hooks. Each case runs in a JVM of its own ({@link CallDuringShutdown}), since only a real JVM shutdown
 * runs those hooks.
 */
class OutboundHttpTest {
    private static List<String> runUntilExit(String client) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        CallDuringShutdown.class.getName(),
                        client)
                .redirectErrorStream(true)
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the JVM exits").isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .filter(line -> line.contains(" shutdown: "))
                .toList();
    }

    @Test
    void aClientOfItsOwnStillCallsWhileTheJvmShutsDown() throws Exception {
        assertThat(runUntilExit("own")).containsExactly("before shutdown: 200", "during shutdown: 200");
    }

    @Test
    void theSharedCacheIsClosedByThenWhichIsWhyNoServiceUsesIt() throws Exception {
        assertThat(runUntilExit("shared"))
                .containsExactly("before shutdown: 200", "during shutdown: failed: Connection cache is closed");
    }
}
