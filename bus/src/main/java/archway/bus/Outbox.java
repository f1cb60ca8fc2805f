package archway.bus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * A service's transactional outbox: the table {@code outbox} in the service's own schema,
 * written in the caller's transaction and drained by the bus's relay ({@link Bus#relay}).
 */
public final class Outbox {

    static final String TABLE = """
            CREATE TABLE IF NOT EXISTS outbox (
                seq        BIGSERIAL PRIMARY KEY,
                event_id   TEXT NOT NULL,
                topic      TEXT NOT NULL,
                event_key  TEXT NOT NULL,
                event_type TEXT NOT NULL,
                payload    TEXT NOT NULL,
                headers    TEXT NOT NULL,
                created_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )""";

    private Outbox() {
    }

    /** Creates the outbox table in {@code db}'s schema if it is not there yet. */
    public static void createTable(DataSource db) {
        createTable(db, "outbox", TABLE);
    }

    /**
     * Runs {@code ddl} (a {@code CREATE TABLE IF NOT EXISTS}) under a lock: PostgreSQL's
     * {@code IF NOT EXISTS} is not safe against a concurrent create of the same table, and
     * every instance starting at once does just that.
     */
    static void createTable(DataSource db, String table, String ddl) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(hashtext('archway.bus.tables'))");
                s.execute(ddl);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the " + table + " table (SQL state " + e.getSQLState() + ")", e);
        }
    }

    /** Appends {@code event} within {@code tx}'s transaction: it is published once that transaction commits. */
    public static void append(Connection tx, Event event) throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement(
                "INSERT INTO outbox (event_id, topic, event_key, event_type, payload, headers) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, event.id());
            insert.setString(2, event.topic());
            insert.setString(3, event.key());
            insert.setString(4, event.type());
            insert.setString(5, event.payload());
            insert.setString(6, Headers.encode(event.headers()));
            insert.executeUpdate();
        }
    }

    /** The columns {@link #event} reads, in its order, for a {@code SELECT} of outbox rows. */
    public static final String EVENT_COLUMNS = "event_id, topic, event_key, event_type, payload, headers";

    /** The event of the current row of a result whose first columns are {@link #EVENT_COLUMNS}, from column {@code first}. */
    public static Event event(ResultSet row, int first) throws SQLException {
        return new Event(row.getString(first), row.getString(first + 1), row.getString(first + 2), row.getString(first + 3),
                row.getString(first + 4), Headers.decode(row.getString(first + 5)));
    }

    /**
     * The events of one key still waiting in the outbox of {@code db}, oldest first: what the
     * relay has yet to publish (for operators looking at a backlog, and for tests of a
     * service's effects).
     */
    public static List<Event> waiting(DataSource db, String key) {
        try (Connection c = db.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT " + EVENT_COLUMNS + " FROM outbox WHERE event_key = ? ORDER BY seq")) {
            select.setString(1, key);
            List<Event> events = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    events.add(event(rs, 1));
                }
            }
            return events;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the outbox (SQL state " + e.getSQLState() + ")", e);
        }
    }

    /** Outbox headers as one text column: {@code name=value} lines (names and values carry no newlines). */
    public static final class Headers {

        private Headers() {
        }

        public static String encode(Map<String, String> headers) {
            StringBuilder out = new StringBuilder();
            headers.forEach((name, value) -> {
                if (name.indexOf('\n') >= 0 || name.indexOf('=') >= 0 || value.indexOf('\n') >= 0) {
                    throw new IllegalArgumentException("event header " + name + " must not hold '=' in its name or newlines");
                }
                out.append(name).append('=').append(value).append('\n');
            });
            return out.toString();
        }

        public static Map<String, String> decode(String text) {
            java.util.LinkedHashMap<String, String> headers = new java.util.LinkedHashMap<>();
            for (String line : text.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    headers.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return headers;
        }
    }
}
