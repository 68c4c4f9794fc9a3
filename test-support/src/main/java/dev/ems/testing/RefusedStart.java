package dev.ems.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A service's {@code Main} in a JVM of its own that must refuse to start: configured by {@code environment} alone
 * (the tests' issuer's settings, its database password, then the test's own), it exits with status 1 after log lines
 * that are JSON objects, one of them the error that says what to fix.
 */
public final class RefusedStart {
    private RefusedStart() {}

    /** Runs {@code main} of {@code service}, asserts the refusal, and returns its log lines. */
    public static List<String> assertRefused(Class<?> main, String service, Map<String, String> environment, Path log)
            throws IOException, InterruptedException {
        String prefix = service.replace('-', '_').toUpperCase(Locale.ROOT) + "_";
        ProcessBuilder builder = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        main.getName())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment()
                .keySet()
                .removeIf(name -> name.startsWith(prefix)
                        || name.startsWith("EMS_")
                        || name.equals("HELIDON_CONFIG_PROFILE")
                        || name.equals("JAVA_TOOL_OPTIONS"));
        builder.environment().putAll(TestIssuer.environment(service));
        builder.environment().put(prefix + "PORT", "0");
        builder.environment().put(prefix + "DB_PASSWORD", "a-database-password");
        builder.environment().putAll(environment);
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exits by itself").isTrue();
        List<String> lines =
                Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
        assertThat(process.exitValue()).as(String.join("\n", lines)).isEqualTo(1);
        assertThat(lines)
                .as("JSON log lines only, no stack trace")
                .allSatisfy(line -> assertThat(line).startsWith("{").doesNotContain("\"exception\""));
        return lines;
    }

    /**
     * {@link #assertRefused}, and that it logged one line alone, the error {@code <service> cannot start: <reason>...},
     * without the value of any variable of {@code environment} whose name holds KEY or SECRET.
     */
    public static void assertRefusedFor(
            Class<?> main, String service, Map<String, String> environment, Path log, String reason)
            throws IOException, InterruptedException {
        List<String> lines = assertRefused(main, service, environment, log);
        assertThat(lines)
                .as("that line alone: what it names is checked before anything starts")
                .singleElement()
                .asString()
                .contains("\"level\":\"error\"")
                .contains(service + " cannot start: " + reason);
        environment.forEach((name, value) -> {
            if ((name.contains("KEY") || name.contains("SECRET")) && !value.isBlank()) {
                assertThat(lines.getFirst())
                        .as("the value of " + name + " is never logged")
                        .doesNotContain(value);
            }
        });
    }
}
