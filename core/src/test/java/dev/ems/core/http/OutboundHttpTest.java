package dev.ems.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.core.ChildJvm;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A service keeps calling other services while it drains after SIGTERM: its clients' connections are not closed by the
 * JVM's shutdown hooks. Each case runs in a JVM of its own ({@link CallDuringShutdown}), since only a real JVM shutdown
 * runs those hooks.
 */
class OutboundHttpTest {
    private static List<String> runUntilExit(String client) throws IOException, InterruptedException {
        return ChildJvm.run(List.of(), CallDuringShutdown.class, client).stream()
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
