package dev.ems.core.log;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Routes all java.util.logging output (Helidon's, Hikari's through slf4j-jdk14, ours) to stdout as JSON lines. */
public final class Logging {
    private Logging() {}

    static {
        // ShutdownSafeLogManager keeps logging alive to the last line of a graceful shutdown; it must be named before
        // the first use of java.util.logging (a no-op after it, as in tests), hence here and in {@link #logger}
        System.setProperty("java.util.logging.manager", ShutdownSafeLogManager.class.getName());
    }

    /** A logger for the bootstrap's first class: asking for it puts the shutdown-safe log manager in place first. */
    public static System.Logger logger(Class<?> type) {
        return System.getLogger(type.getName());
    }

    /** Writes out the log lines still buffered: the last thing a graceful shutdown does. */
    public static void flush() {
        BufferedStdout.OUT.flush();
    }

    public static void configure(String service, Level level) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(level);
        root.addHandler(new StdoutHandler(new JsonLogFormatter(service), level));
    }

    /**
     * stdout through a buffer that one platform thread writes out every 20 ms (a warning or worse at once): a line per
     * request then costs no system call of its own. Written at once, each line was a file write from a virtual thread,
     * which holds its carrier for the call: 16 % of user-service's CPU samples under GET user.
     */
    private static final class BufferedStdout {
        static final PrintStream OUT = new PrintStream(
                new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 20),
                false,
                StandardCharsets.UTF_8);

        static {
            Thread.ofPlatform().daemon().name("ems-log-flush").start(() -> {
                while (true) {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                    OUT.flush();
                }
            });
        }

        private BufferedStdout() {}
    }

    private static final class StdoutHandler extends Handler {
        private final PrintStream out = BufferedStdout.OUT;
        /** A log call made while formatting a line (by a library at debug level) must not recurse into this handler. */
        private final ThreadLocal<Boolean> publishing = ThreadLocal.withInitial(() -> false);

        private StdoutHandler(JsonLogFormatter formatter, Level level) {
            setFormatter(formatter);
            setLevel(level);
        }

        @Override
        public void publish(LogRecord record) {
            if (!isLoggable(record) || publishing.get()) {
                return;
            }
            publishing.set(true);
            try {
                out.print(getFormatter().format(record));
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    out.flush();
                }
            } finally {
                publishing.set(false);
            }
        }

        @Override
        public void flush() {
            out.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
