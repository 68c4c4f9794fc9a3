package dev.ems.core.log;

import java.io.PrintStream;
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

    public static void configure(String service, Level level) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(level);
        root.addHandler(new StdoutHandler(new JsonLogFormatter(service), level));
    }

    private static final class StdoutHandler extends Handler {
        private final PrintStream out = System.out;
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
