package dev.ems.core.db;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;
import java.util.function.Function;

/** Runs work in one transaction: commit on success, rollback on any failure (DbClient never rolls back by itself). */
public final class Tx {
    private Tx() {}

    public static <T> T inTransaction(DbClient db, Function<DbTransaction, T> work) {
        DbTransaction tx = db.transaction();
        T result;
        try {
            result = work.apply(tx);
        } catch (RuntimeException | Error e) {
            try {
                tx.rollback();
            } catch (RuntimeException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        }
        tx.commit();
        return result;
    }
}
