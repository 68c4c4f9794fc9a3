package dev.ems.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.core.ChildJvm;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The carriers' number as a JVM on one CPU gets it: each case in a JVM of its own, since the scheduler reads the
 * setting once per JVM.
 */
class VirtualThreadCarriersTest {
    private static String run(String mode, String... jvmOptions) throws IOException, InterruptedException {
        List<String> options = new ArrayList<>(List.of("-XX:ActiveProcessorCount=1"));
        options.addAll(List.of(jvmOptions));
        // only the program's line
        return ChildJvm.run(
                        options, SpinningVirtualThreads.class, mode, Integer.toString(VirtualThreadCarriers.PER_CPU))
                .stream()
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
