package dev.ems.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class of the test class path in a JVM of its own, for what only a JVM's start or end shows (shutdown
 * hooks, a halt, settings read once per JVM).
 */
public final class ChildJvm {
    private ChildJvm() {}

    /**
     * Its output (stdout and stderr) once it has exited, as lines. The output goes to a file, so a chatty child cannot
     * block on a full pipe; callers pick their lines, since the JVM may print more (e.g. "Picked up
     * JAVA_TOOL_OPTIONS").
     */
    public static List<String> run(List<String> jvmOptions, Class<?> main, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile("child-jvm", ".log");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            boolean exited = process.waitFor(60, TimeUnit.SECONDS);
            if (!exited) {
                process.destroyForcibly();
            }
            assertThat(exited).as("the JVM exits").isTrue();
            return Files.readAllLines(output, StandardCharsets.UTF_8);
        } finally {
            Files.delete(output);
        }
    }
}
