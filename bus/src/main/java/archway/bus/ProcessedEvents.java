package archway.bus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The consumer side of exactly-once effects over at-least-once delivery: the table
 * {@code processed_events} in the consuming service's schema. A handler calls
 * {@link #markProcessed} in the transaction of its effect; {@code false} means the event was
 * handled before and the transaction should change nothing else.
 */
public final class ProcessedEvents {

    private ProcessedEvents() {
    }

    /** Creates the table in {@code db}'s schema if it is not there yet. */
    public static void createTable(DataSource db) {
        Outbox.createTable(db, "processed_events", """
                CREATE TABLE IF NOT EXISTS processed_events (
                    consumer     TEXT NOT NULL,
                    event_id     TEXT NOT NULL,
                    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    PRIMARY KEY (consumer, event_id)
                )""");
    }

    /**
     * Records that {@code consumer} handled {@code eventId}, within {@code tx}'s transaction.
     *
     * @return {@code true} the first time, {@code false} when it was recorded before
     */
    public static boolean markProcessed(Connection tx, String consumer, String eventId) throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement(
                "INSERT INTO processed_events (consumer, event_id) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, consumer);
            insert.setString(2, eventId);
            return insert.executeUpdate() == 1;
        }
    }
}
