package dev.ems.core.db;

/** Thrown when a request needs the schema before the migrations could run (the database was down at start). */
public final class MigrationPendingException extends RuntimeException {
    public MigrationPendingException() {
        super("database schema is not migrated yet", null, false, false);
    }
}
