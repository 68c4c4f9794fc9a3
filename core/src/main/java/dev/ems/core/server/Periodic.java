package dev.ems.core.server;

import java.time.Duration;

/** A background task on a virtual thread, run every {@code interval} until closed; a failing run is logged, not fatal. */
public final class Periodic implements AutoCloseable {
    private static final System.Logger LOGGER = System.getLogger(Periodic.class.getName());
    private final Thread thread;

    private Periodic(String name, Duration interval, Runnable task) {
        this.thread = Thread.ofVirtual().name(name).start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOGGER.log(System.Logger.Level.WARNING, name + " failed: " + e.getMessage());
                }
            }
        });
    }

    public static Periodic start(String name, Duration interval, Runnable task) {
        return new Periodic(name, interval, task);
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
