package dev.ems.localpostgres;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Unpacks the PostgreSQL binaries where io.zonky's EmbeddedPostgres 2.2.2 looks for them, {@code
 * <working directory>/PG-<MD5 of the archive>/}, complete once its {@code .exists} file is the newest entry; the library
 * then uses them as they are. It does so streaming, one file at a time: the library's own unpacking holds the archive
 * and every unpacked file in the heap at once (about 100 MB), which a service started with the documented
 * {@code -Xmx64m} cannot give on a machine's first start. Services starting together unpack once: the others wait on a
 * file lock beside the directory.
 */
final class PostgresBinaries {
    private static final System.Logger LOGGER = System.getLogger(PostgresBinaries.class.getName());
    private static final String COMPLETE_MARK = ".exists";
    private static final int MODE_BITS = 0777;

    private PostgresBinaries() {}

    /** The library's working directory when none is set: {@code embedded-pg} in the JVM's temp directory. */
    static Path defaultWorkingDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg");
    }

    /** Unpacks the binaries under {@code workingDirectory} unless they are complete there; answers their directory. */
    static synchronized Path unpackIfMissing(Path workingDirectory) {
        try {
            Files.createDirectories(workingDirectory);
            String name = "PG-" + md5OfArchive();
            Path binaries = workingDirectory.resolve(name);
            if (isComplete(binaries)) {
                return binaries;
            }
            try (FileChannel channel = FileChannel.open(
                            workingDirectory.resolve(name + ".lock"),
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE);
                    FileLock ignored = channel.lock()) {
                if (!isComplete(binaries)) { // another JVM may have unpacked them while this one waited
                    unpack(workingDirectory, binaries);
                }
            }
            return binaries;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot unpack the embedded PostgreSQL binaries into " + workingDirectory, e);
        }
    }

    /** Into a directory of its own first, moved into place complete: a start killed midway leaves nothing half done. */
    private static void unpack(Path workingDirectory, Path binaries) throws IOException {
        long started = System.nanoTime();
        LOGGER.log(System.Logger.Level.INFO, "unpacking the embedded PostgreSQL binaries into " + binaries);
        Path unpacking = workingDirectory.resolve(binaries.getFileName() + ".unpacking");
        deleteTree(unpacking);
        Files.createDirectories(unpacking);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(archive()))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path target = unpacking.resolve(entry.getName()).normalize();
                if (!target.startsWith(unpacking)) {
                    throw new IOException("archive entry outside its directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else if (entry.isFile()) {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target);
                    setMode(target, entry.getMode());
                } else {
                    throw new IOException("unexpected archive entry " + entry.getName());
                }
            }
        }
        Files.createFile(unpacking.resolve(COMPLETE_MARK));
        deleteTree(binaries); // what an unpacking of the library itself left unfinished
        Files.move(unpacking, binaries, StandardCopyOption.ATOMIC_MOVE);
        // the mark stays the newest entry, as the library requires
        Files.setLastModifiedTime(binaries.resolve(COMPLETE_MARK), FileTime.fromMillis(System.currentTimeMillis()));
        LOGGER.log(
                System.Logger.Level.INFO,
                "unpacked the embedded PostgreSQL binaries in " + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    /** The library's own test: the mark is there and no entry, nor the directory itself, changed after it. */
    private static boolean isComplete(Path binaries) throws IOException {
        Path mark = binaries.resolve(COMPLETE_MARK);
        if (!Files.exists(mark)) {
            return false;
        }
        long marked = Files.getLastModifiedTime(mark).toMillis();
        if (Files.getLastModifiedTime(binaries).toMillis() - 100 > marked) {
            return false;
        }
        try (Stream<Path> entries = Files.list(binaries)) {
            return entries.filter(entry -> !entry.equals(mark)).allMatch(entry -> lastModified(entry) <= marked);
        }
    }

    private static long lastModified(Path entry) {
        try {
            return Files.getLastModifiedTime(entry).toMillis();
        } catch (IOException e) { // as java.io.File answers for a link to nothing
            return 0;
        }
    }

    /** The library names the directory by the archive's MD5; read streaming, as the archive is 15 MB. */
    private static String md5OfArchive() throws IOException {
        try (DigestInputStream in = new DigestInputStream(archive(), MessageDigest.getInstance("MD5"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no MD5 in this JVM", e);
        }
    }

    /** The archive the library itself would take, found by its own resolver, for this system as the library names it. */
    private static InputStream archive() throws IOException {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String system = os.startsWith("windows") ? "Windows" : os.startsWith("mac") ? "Darwin" : "Linux";
        String arch = System.getProperty("os.arch");
        InputStream archive =
                DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, "amd64".equals(arch) ? "x86_64" : arch);
        if (archive == null) {
            throw new IOException("no embedded PostgreSQL binaries on the class path for " + system + " " + arch);
        }
        return archive;
    }

    private static void setMode(Path file, int mode) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return; // Windows: nothing to set
        }
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ (0400) ... OTHERS_EXECUTE (0001)
        for (int i = 0; i < bits.length; i++) {
            if ((mode & MODE_BITS & (0400 >> i)) != 0) {
                permissions.add(bits[i]);
            }
        }
        view.setPermissions(permissions);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
