package dev.ems.core.db;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import org.postgresql.util.PSQLException;

/** Reads what a database failure means from the exception chain DbClient throws (SQLState and connection errors). */
public final class DbErrors {
    public static final String UNIQUE_VIOLATION = "23505";
    /** SQLStates that mean "the database is not there right now", not "this statement is wrong". */
    private static final Set<String> UNAVAILABLE_STATES = Set.of(
            "57P01", // admin_shutdown
            "57P02", // crash_shutdown
            "57P03", // cannot_connect_now (starting up, recovering)
            "53300"); // too_many_connections

    private DbErrors() {}

    public static Optional<String> sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return Optional.of(sql.getSQLState());
            }
        }
        return Optional.empty();
    }

    public static boolean isUniqueViolation(Throwable e) {
        return sqlState(e).filter(UNIQUE_VIOLATION::equals).isPresent();
    }

    /** The constraint (or unique index) a failure violated, as PostgreSQL names it, if it says. */
    public static Optional<String> constraint(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
                return Optional.ofNullable(psql.getServerErrorMessage().getConstraint());
            }
        }
        return Optional.empty();
    }

    /** True when the failure is the database being unreachable, shutting down or refusing connections. */
    public static boolean isUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException
                    || t instanceof ConnectException
                    || t.getClass().getName().endsWith("PoolInitializationException")) {
                return true;
            }
            if (t instanceof SQLException sql
                    && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || UNAVAILABLE_STATES.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * What kind of failure {@code e} is, in a few fixed words, for health details that anyone who reaches /health may
     * read: never an exception message, which can hold host names, addresses, SQL or data.
     */
    public static String summary(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof SocketTimeoutException || t instanceof SQLTransientConnectionException) {
                return "timed out";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host";
            }
        }
        return sqlState(e)
                .map(state -> state.startsWith("28")
                        ? "authentication failed"
                        : isUnavailable(e)
                                ? "database unavailable (SQLState " + state + ")"
                                : "database error (SQLState " + state + ")")
                .orElseGet(() -> isUnavailable(e)
                        ? "database unavailable"
                        : "failed (" + e.getClass().getSimpleName() + ")");
    }

    /** A short description for logs (never for responses). */
    public static String describe(Throwable e) {
        // by identity: a cause chain may loop back on itself
        Set<Throwable> chain = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable root = e;
        chain.add(root);
        while (root.getCause() != null && chain.add(root.getCause())) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
