package archway.order;

import archway.catalog.Money;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The tables {@code orders}, {@code order_items} and {@code order_history}, in plain JDBC within the caller's transaction. */
final class OrderTable {

    private static final String COLUMNS = "id, user_id, status, reason, total_amount, currency, payment_token, "
            + "request_digest, created_at, updated_at";

    /** What the saga needs to know of an order, read with its row locked. */
    record Row(UUID id, String userId, OrderStatus status, String reason, Money total, String paymentToken,
               String requestDigest, Instant createdAt, Instant updatedAt) {
    }

    private OrderTable() {
    }

    /** Inserts the order unless the user used the key before; {@code false} then (nothing written). */
    static boolean insert(Connection tx, Row order, String idempotencyKey, List<Order.Line> lines) throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement("INSERT INTO orders (id, user_id, status, total_amount, currency, "
                + "payment_token, idempotency_key, request_digest, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (user_id, idempotency_key) DO NOTHING")) {
            insert.setObject(1, order.id());
            insert.setString(2, order.userId());
            insert.setString(3, order.status().name());
            insert.setLong(4, order.total().amount());
            insert.setString(5, order.total().currency());
            insert.setString(6, order.paymentToken());
            insert.setString(7, idempotencyKey);
            insert.setString(8, order.requestDigest());
            insert.setTimestamp(9, Timestamp.from(order.createdAt()));
            insert.setTimestamp(10, Timestamp.from(order.updatedAt()));
            if (insert.executeUpdate() == 0) {
                return false;
            }
        }
        try (PreparedStatement insert = tx.prepareStatement(
                "INSERT INTO order_items (order_id, line, product_id, name, quantity, unit_amount) VALUES (?, ?, ?, ?, ?, ?)")) {
            int line = 0;
            for (Order.Line item : lines) {
                insert.setObject(1, order.id());
                insert.setInt(2, ++line);
                insert.setLong(3, item.productId());
                insert.setString(4, item.name());
                insert.setInt(5, item.quantity());
                insert.setLong(6, item.unitPrice().amount());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        appendHistory(tx, order.id(), order.status(), null, order.createdAt());
        return true;
    }

    /** The order a user placed with an idempotency key, if any. */
    static Optional<Row> byKey(Connection c, String userId, String idempotencyKey) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM orders WHERE user_id = ? AND idempotency_key = ?")) {
            select.setString(1, userId);
            select.setString(2, idempotencyKey);
            return one(select);
        }
    }

    static Optional<Row> byId(Connection c, UUID id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM orders WHERE id = ?")) {
            select.setObject(1, id);
            return one(select);
        }
    }

    /** The order with its row locked until the transaction ends: the saga's steps on one order never interleave. */
    static Optional<Row> lock(Connection tx, UUID id) throws SQLException {
        try (PreparedStatement select = tx.prepareStatement("SELECT " + COLUMNS + " FROM orders WHERE id = ? FOR UPDATE")) {
            select.setObject(1, id);
            return one(select);
        }
    }

    /** Moves the order to {@code status} and records it in the history. */
    static void changeStatus(Connection tx, UUID id, OrderStatus status, String reason, Instant at) throws SQLException {
        try (PreparedStatement update = tx.prepareStatement(
                "UPDATE orders SET status = ?, reason = ?, updated_at = ? WHERE id = ?")) {
            update.setString(1, status.name());
            update.setString(2, reason);
            update.setTimestamp(3, Timestamp.from(at));
            update.setObject(4, id);
            update.executeUpdate();
        }
        appendHistory(tx, id, status, reason, at);
    }

    private static void appendHistory(Connection tx, UUID id, OrderStatus status, String reason, Instant at) throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement("INSERT INTO order_history (order_id, seq, status, reason, at) "
                + "SELECT ?, coalesce(max(seq), 0) + 1, ?, ?, ? FROM order_history WHERE order_id = ?")) {
            insert.setObject(1, id);
            insert.setString(2, status.name());
            insert.setString(3, reason);
            insert.setTimestamp(4, Timestamp.from(at));
            insert.setObject(5, id);
            insert.executeUpdate();
        }
    }

    static List<Order.Line> lines(Connection c, UUID id, String currency) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT product_id, name, quantity, unit_amount FROM order_items WHERE order_id = ? ORDER BY line")) {
            select.setObject(1, id);
            List<Order.Line> lines = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    int quantity = rs.getInt(3);
                    long unit = rs.getLong(4);
                    lines.add(new Order.Line(rs.getLong(1), rs.getString(2), quantity, new Money(unit, currency),
                            new Money(unit * quantity, currency)));
                }
            }
            return lines;
        }
    }

    static List<Order.Change> history(Connection c, UUID id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT status, reason, at FROM order_history WHERE order_id = ? ORDER BY seq")) {
            select.setObject(1, id);
            List<Order.Change> history = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    history.add(new Order.Change(OrderStatus.valueOf(rs.getString(1)), rs.getString(2),
                            rs.getTimestamp(3).toInstant()));
                }
            }
            return history;
        }
    }

    /** The ids of a user's orders on one page, newest first, and how many there are in all. */
    static List<UUID> idsOf(Connection c, String userId, int limit, long offset) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id FROM orders WHERE user_id = ? ORDER BY created_at DESC, id LIMIT ? OFFSET ?")) {
            select.setString(1, userId);
            select.setInt(2, limit);
            select.setLong(3, offset);
            List<UUID> ids = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
            return ids;
        }
    }

    static long countOf(Connection c, String userId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT count(*) FROM orders WHERE user_id = ?")) {
            select.setString(1, userId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Optional<Row> one(PreparedStatement select) throws SQLException {
        try (ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new Row(rs.getObject("id", UUID.class), rs.getString("user_id"),
                    OrderStatus.valueOf(rs.getString("status")), rs.getString("reason"),
                    new Money(rs.getLong("total_amount"), rs.getString("currency")), rs.getString("payment_token"),
                    rs.getString("request_digest"), rs.getTimestamp("created_at").toInstant(),
                    rs.getTimestamp("updated_at").toInstant()));
        }
    }
}
