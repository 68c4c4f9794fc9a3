package dev.ems.core.server;

import java.time.Duration;

/**
 * A background task on a virtual thread, run every {@code interval} until closed; a failing run is logged, not fatal.
 * Closing waits for a run in progress to end, so that nothing runs against resources closed after it.
 */
public final class Periodic implements AutoCloseable {
    private static final System.Logger LOGGER = System.getLogger(Periodic.class.getName());
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
    private final String name;
    private final Thread thread;
    private volatile boolean closed;

    private Periodic(String name, Duration interval, Runnable task) {
        this.name = name;
        this.thread = Thread.ofVirtual().name(name).start(() -> {
            while (!closed) {
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    task.run();
                } catch (RuntimeException e) {
                    if (!closed) {
                        LOGGER.log(System.Logger.Level.WARNING, name + " failed: " + e.getMessage());
                    }
                }
            }
        });
    }

    public static Periodic start(String name, Duration interval, Runnable task) {
        return new Periodic(name, interval, task);
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            if (!thread.join(CLOSE_WAIT)) {
                LOGGER.log(System.Logger.Level.WARNING, name + " did not stop within " + CLOSE_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "periodic task " + name;
    }
}
