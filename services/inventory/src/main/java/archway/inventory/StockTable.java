package archway.inventory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The tables {@code stock} and {@code reservations}, in plain JDBC within the caller's transaction. */
final class StockTable {

    private static final int BATCH = 1_000;

    /** A reserved line of an order. */
    record Reservation(long productId, int quantity) {
    }

    private StockTable() {
    }

    /**
     * Takes {@code quantity} units off what is available, if there are that many: the
     * condition and the change are one statement, so concurrent orders can never take stock
     * below zero (the row lock makes the second wait and then see the first's result).
     */
    static boolean take(Connection tx, long productId, int quantity) throws SQLException {
        try (PreparedStatement update = tx.prepareStatement(
                "UPDATE stock SET available = available - ?, updated_at = now() WHERE product_id = ? AND available >= ?")) {
            update.setInt(1, quantity);
            update.setLong(2, productId);
            update.setInt(3, quantity);
            return update.executeUpdate() == 1;
        }
    }

    static void reserve(Connection tx, UUID orderId, long productId, int quantity) throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement(
                "INSERT INTO reservations (order_id, product_id, quantity, state) VALUES (?, ?, ?, 'RESERVED')")) {
            insert.setObject(1, orderId);
            insert.setLong(2, productId);
            insert.setInt(3, quantity);
            insert.executeUpdate();
        }
    }

    /** Marks the order's held lines COMMITTED: the units are sold. Returns the products of the lines. */
    static List<Long> commit(Connection tx, UUID orderId) throws SQLException {
        try (PreparedStatement update = tx.prepareStatement("UPDATE reservations SET state = 'COMMITTED', updated_at = now() "
                + "WHERE order_id = ? AND state = 'RESERVED' RETURNING product_id")) {
            update.setObject(1, orderId);
            List<Long> products = new ArrayList<>();
            try (ResultSet rs = update.executeQuery()) {
                while (rs.next()) {
                    products.add(rs.getLong(1));
                }
            }
            return products;
        }
    }

    /** Gives the order's held lines back to what is available, and marks them RELEASED. */
    static List<Reservation> release(Connection tx, UUID orderId) throws SQLException {
        List<Reservation> released = new ArrayList<>();
        try (PreparedStatement update = tx.prepareStatement("UPDATE reservations SET state = 'RELEASED', updated_at = now() "
                + "WHERE order_id = ? AND state = 'RESERVED' RETURNING product_id, quantity")) {
            update.setObject(1, orderId);
            try (ResultSet rs = update.executeQuery()) {
                while (rs.next()) {
                    released.add(new Reservation(rs.getLong(1), rs.getInt(2)));
                }
            }
        }
        try (PreparedStatement update = tx.prepareStatement(
                "UPDATE stock SET available = available + ?, updated_at = now() WHERE product_id = ?")) {
            for (Reservation line : released) {
                update.setInt(1, line.quantity());
                update.setLong(2, line.productId());
                update.addBatch();
            }
            update.executeBatch();
        }
        return released;
    }

    /** The levels of {@code productIds}, in one statement; a product without stock is left out. */
    static Map<Long, StockLevel> levels(Connection c, Collection<Long> productIds) throws SQLException {
        Map<Long, StockLevel> levels = new HashMap<>();
        try (PreparedStatement select = c.prepareStatement("SELECT s.product_id, s.available, coalesce((SELECT sum(r.quantity) "
                + "FROM reservations r WHERE r.product_id = s.product_id AND r.state = 'RESERVED'), 0) "
                + "FROM stock s WHERE s.product_id = ANY(?)")) {
            select.setArray(1, c.createArrayOf("bigint", productIds.toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    levels.put(rs.getLong(1), new StockLevel(rs.getLong(1), rs.getInt(2), rs.getInt(3)));
                }
            }
        }
        return levels;
    }

    static Optional<StockLevel> level(Connection c, long productId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT s.available, coalesce((SELECT sum(r.quantity) "
                + "FROM reservations r WHERE r.product_id = s.product_id AND r.state = 'RESERVED'), 0) "
                + "FROM stock s WHERE s.product_id = ?")) {
            select.setLong(1, productId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(new StockLevel(productId, rs.getInt(1), rs.getInt(2))) : Optional.empty();
            }
        }
    }

    /** Sets what is available, counting the difference as received (a delivery, or a loss when negative). */
    static boolean setAvailable(Connection tx, long productId, int available) throws SQLException {
        try (PreparedStatement update = tx.prepareStatement("UPDATE stock SET received = received + (? - available), "
                + "available = ?, updated_at = now() WHERE product_id = ?")) {
            update.setInt(1, available);
            update.setInt(2, available);
            update.setLong(3, productId);
            return update.executeUpdate() == 1;
        }
    }

    static boolean isEmpty(Connection c) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT NOT EXISTS (SELECT 1 FROM stock)");
             ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    static void insert(Connection tx, Map<Long, Integer> levels) throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement(
                "INSERT INTO stock (product_id, received, available) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            int pending = 0;
            for (Map.Entry<Long, Integer> level : levels.entrySet()) {
                insert.setLong(1, level.getKey());
                insert.setLong(2, level.getValue());
                insert.setInt(3, level.getValue());
                insert.addBatch();
                if (++pending == BATCH) {
                    insert.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                insert.executeBatch();
            }
        }
    }
}
