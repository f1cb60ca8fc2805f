package archway.bus.kafka;

import archway.bus.Event;
import archway.bus.Outbox;
import archway.store.embedded.EmbeddedPostgres;
import archway.store.postgres.PostgresStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * A service's schema for the tests: its table {@code orders} and its outbox, each test in a
 * schema of its own (a prefix) so that no relay drains another test's events.
 */
final class Shop implements AutoCloseable {

    static final Map<String, String> TRACE = Map.of(Event.TRACEPARENT, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

    private final PostgresStore store;
    private final DataSource db;

    private Shop(PostgresStore store) {
        this.store = store;
        this.db = store.schema("shop");
    }

    static Shop open(EmbeddedPostgres postgres, String schemaPrefix) {
        return new Shop(PostgresStore.open(postgres.storeConfig(4).withSchemaPrefix(schemaPrefix)));
    }

    DataSource db() {
        return db;
    }

    static Event order(String topic, String key, int n) {
        return Event.of(topic, key, "OrderPlaced", "{\"order_id\":\"" + key + "\",\"n\":" + n + "}", TRACE);
    }

    /** Writes one order row per event and appends the events, in one committed transaction. */
    void place(List<Event> events) throws SQLException {
        write(events, true);
    }

    /** The same, rolled back. */
    void placeAndRollBack(List<Event> events) throws SQLException {
        write(events, false);
    }

    private void write(List<Event> events, boolean commit) throws SQLException {
        try (Connection tx = db.getConnection()) {
            tx.setAutoCommit(false);
            try (PreparedStatement insert = tx.prepareStatement("INSERT INTO orders (id) VALUES (?)")) {
                for (Event event : events) {
                    insert.setString(1, event.id());
                    insert.executeUpdate();
                    Outbox.append(tx, event);
                }
            }
            if (commit) {
                tx.commit();
            } else {
                tx.rollback();
            }
        }
    }

    long count(String table) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet result = s.executeQuery("SELECT count(*) FROM " + table)) {
            result.next();
            return result.getLong(1);
        }
    }

    /** {@link #count} for awaits, which take no checked exceptions. */
    long outboxRows() {
        try {
            return count("outbox");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
