package dev.ems.localpostgres;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * A stand-in for a service in a JVM of its own: starts the local PostgreSQL, writes a row, prints "ready" and waits to
 * be killed ({@code args}: data directory, port, database, the row's value).
 */
public final class LocalPostgresOwner {
    private LocalPostgresOwner() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        new EmbeddedLocalPostgres().start(Path.of(args[0]), port, args[2], "app_owner", "app_service");
        try (Connection c = DriverManager.getConnection(
                        "jdbc:postgresql://localhost:" + port + "/" + args[2], "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS kept (value text)");
            s.execute("INSERT INTO kept VALUES ('" + args[3] + "')");
        }
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
