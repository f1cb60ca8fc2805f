package archway.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs work in one database transaction: committed when the work returns, rolled back when
 * it throws. A failure of the store itself becomes a {@link StoreException} naming what was
 * being done; exceptions the work throws on purpose (a {@code RuntimeException}, such as a
 * problem for the client) pass through unchanged after the rollback.
 */
public final class Transactions {

    /** Work on a connection whose transaction the caller owns. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection tx) throws SQLException;
    }

    private Transactions() {
    }

    /**
     * @param action what the work does, for the error message ("place an order")
     */
    public static <T> T inTransaction(DataSource db, String action, Work<T> work) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("could not " + action + " (SQL state " + e.getSQLState() + ")", e);
        }
    }

    private static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException rollback) {
            cause.addSuppressed(rollback);
        }
    }
}
