package dev.ems.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.core.ChildJvm;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Log lines are buffered, yet none is lost on the ways a service ends: each case logs in a JVM of its own, which then
 * halts at once (no shutdown hook, no flush on exit), and the line must be in what the JVM wrote to stdout.
 */
class LoggingTest {
    private static List<String> run(String mode) throws IOException, InterruptedException {
        // only the log's lines
        return ChildJvm.run(List.of(), LoggingThenHalt.class, mode).stream()
                .filter(line -> line.startsWith("{"))
                .toList();
    }

    @Test
    void aLineIsWrittenOutWithinItsInterval() throws Exception {
        assertThat(run("info-then-wait"))
                .singleElement()
                .asString()
                .contains("\"level\":\"info\"", "\"message\":\"kept\"");
    }

    @Test
    void aWarningIsWrittenOutAtOnce() throws Exception {
        assertThat(run("warning-then-halt"))
                .singleElement()
                .asString()
                .contains("\"level\":\"warn\"", "\"message\":\"kept\"");
    }

    @Test
    void flushWritesOutWhatIsBuffered() throws Exception {
        assertThat(run("info-flush-then-halt")).singleElement().asString().contains("\"message\":\"kept\"");
    }

    /** The child: logs one line as its mode says, then halts. */
    public static final class LoggingThenHalt {
        private LoggingThenHalt() {}

        public static void main(String[] args) throws InterruptedException {
            System.Logger logger = Logging.logger(LoggingThenHalt.class);
            Logging.configure("logging-test", java.util.logging.Level.INFO);
            switch (args[0]) {
                case "info-then-wait" -> {
                    logger.log(System.Logger.Level.INFO, "kept");
                    Thread.sleep(1000);
                }
                case "warning-then-halt" -> logger.log(System.Logger.Level.WARNING, "kept");
                case "info-flush-then-halt" -> {
                    logger.log(System.Logger.Level.INFO, "kept");
                    Logging.flush();
                }
                default -> throw new IllegalArgumentException(args[0]);
            }
            Runtime.getRuntime().halt(0);
        }
    }
}
