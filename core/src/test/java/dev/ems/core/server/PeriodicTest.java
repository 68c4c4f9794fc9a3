package dev.ems.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PeriodicTest {

    @Test
    void runsUntilClosedThenNeverAgain() {
        AtomicInteger runs = new AtomicInteger();
        Periodic periodic = Periodic.start("test-periodic", Duration.ofMillis(5), runs::incrementAndGet);
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 3);
        periodic.close();
        int afterClose = runs.get();
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> runs.get() == afterClose);
    }

    @Test
    void closeWaitsForTheRunInProgress() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        Periodic periodic = Periodic.start("test-periodic-slow", Duration.ofMillis(1), () -> {
            running.countDown();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            while (System.nanoTime() < end) {
                Thread.onSpinWait(); // work that does not stop at an interrupt, like a statement in flight
            }
            finished.set(true);
        });
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        periodic.close();
        assertThat(finished)
                .as("the run in progress ended before close returned")
                .isTrue();
    }
}
