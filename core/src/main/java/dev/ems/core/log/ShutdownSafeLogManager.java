package dev.ems.core.log;

import java.util.logging.LogManager;

/**
 * The JDK resets logging in a shutdown hook of its own, which runs at the same time as the service's graceful
 * shutdown and would silence everything logged while draining. This manager ignores that one reset; the JVM
 * flushes stdout as it exits anyway. Installed by {@link dev.ems.core.server.ServiceRuntime} before any logging.
 */
public final class ShutdownSafeLogManager extends LogManager {

    @Override
    public void reset() {
        if (Thread.currentThread().getClass().getName().startsWith(LogManager.class.getName() + "$")) {
            return; // LogManager$Cleaner: the JDK's shutdown hook
        }
        super.reset();
    }
}
