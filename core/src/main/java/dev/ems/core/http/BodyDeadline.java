package dev.ems.core.http;

import dev.ems.core.config.Durations;
import io.helidon.config.Config;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * How long a request body may take to arrive. A client that trickles its body (slowloris) or announces one it never
 * sends (Expect: 100-continue) holds a request slot for as long as it likes; past the deadline the reading thread is
 * interrupted, which on a virtual thread closes the connection, and the request ends as 408 REQUEST_TIMEOUT.
 * <p>
 * Built once per server with one timer thread, and found by {@link RequestBody} in the request's context (the server
 * registers it in its own context, the parent of every request's).
 */
public final class BodyDeadline implements AutoCloseable {
    private static final int READING = 0;
    private static final int DONE = 1;
    private static final int EXPIRED = 2;

    private final Duration timeout;
    private final ScheduledExecutorService timer;

    private BodyDeadline(Duration timeout) {
        this.timeout = timeout;
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("body-deadline").daemon().factory());
    }

    /** From a service's {@code body-timeout} setting. */
    public static BodyDeadline create(Config timeout) {
        return new BodyDeadline(Durations.of(timeout));
    }

    public Duration timeout() {
        return timeout;
    }

    /** Runs {@code read} (which reads the request body), interrupting it at the deadline. */
    <T> T read(Supplier<T> read) {
        Thread reader = Thread.currentThread();
        AtomicInteger state = new AtomicInteger(READING);
        ScheduledFuture<?> alarm = timer.schedule(
                () -> {
                    if (state.compareAndSet(READING, EXPIRED)) {
                        reader.interrupt();
                    }
                },
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            T value = read.get();
            if (state.compareAndSet(READING, DONE)) {
                return value;
            }
        } catch (RuntimeException e) {
            if (state.compareAndSet(READING, DONE)) {
                throw e;
            }
        } finally {
            alarm.cancel(false);
        }
        // expired: the alarm interrupts this thread right after its state change; take that interrupt back
        while (!Thread.interrupted()) {
            Thread.onSpinWait();
        }
        throw new ApiException(
                CommonErrorCode.REQUEST_TIMEOUT,
                "the request body did not arrive within " + timeout.toSeconds() + " s");
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
