package dev.ems.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The carriers' number as a JVM on one CPU gets it: each case in a JVM of its own, since the scheduler reads the
 * setting once per JVM.
 */
class VirtualThreadCarriersTest {
    private static String run(String mode, String... jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:ActiveProcessorCount=1");
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                SpinningVirtualThreads.class.getName(),
                mode,
                Integer.toString(VirtualThreadCarriers.PER_CPU)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the JVM exits").isTrue();
        // only the program's line: the JVM may print more (e.g. "Picked up JAVA_TOOL_OPTIONS")
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .filter(line -> line.startsWith("at once: "))
                .findFirst()
                .orElse("no answer");
    }

    @Test
    void fourCarriersPerCpu() throws Exception {
        assertThat(run("configured")).isEqualTo("at once: " + VirtualThreadCarriers.PER_CPU);
    }

    @Test
    void theJdksDefaultIsOnePerCpuWhichIsWhyTheServicesSetIt() throws Exception {
        assertThat(run("jdk-default")).isEqualTo("at once: 1");
    }

    @Test
    void theOperatorsSettingWins() throws Exception {
        assertThat(run("configured", "-D" + VirtualThreadCarriers.PARALLELISM + "=2"))
                .isEqualTo("at once: 2");
    }
}
