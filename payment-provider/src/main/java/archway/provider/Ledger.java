package archway.provider;

import archway.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The {@code charges} table, in plain JDBC. */
final class Ledger {

    /** A recorded charge with the card token it was made with, which the API never shows. */
    record Entry(Charge charge, String token) {

        /** Whether {@code request} asks for this very charge (a retry), not for another one under the same key. */
        boolean isSameRequestAs(ChargeRequest request) {
            return charge.amount() == request.amount() && charge.currency().equals(request.currency())
                    && token.equals(request.token()) && charge.reference().equals(request.reference());
        }
    }

    private static final String COLUMNS = "id, status, amount, currency, token, reference, idempotency_key, decline_code, created_at";

    private final DataSource db;

    Ledger(DataSource db) {
        this.db = db;
    }

    /**
     * Records {@code entry} unless its idempotency key is taken; empty when it is. Of two
     * requests with one key at the same time, the second waits on the unique index until the
     * first commits, then inserts nothing.
     */
    Optional<Entry> insert(Entry entry) {
        String sql = "INSERT INTO charges (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (idempotency_key) DO NOTHING RETURNING " + COLUMNS;
        Charge charge = entry.charge();
        try (Connection c = db.getConnection(); PreparedStatement insert = c.prepareStatement(sql)) {
            insert.setString(1, charge.id());
            insert.setString(2, charge.status());
            insert.setLong(3, charge.amount());
            insert.setString(4, charge.currency());
            insert.setString(5, entry.token());
            insert.setString(6, charge.reference());
            insert.setString(7, charge.idempotencyKey());
            insert.setString(8, charge.declineCode());
            insert.setObject(9, OffsetDateTime.ofInstant(charge.createdAt(), ZoneOffset.UTC));
            try (ResultSet rs = insert.executeQuery()) {
                return rs.next() ? Optional.of(entry(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("record a charge", e);
        }
    }

    Optional<Entry> byIdempotencyKey(String key) {
        return one("SELECT " + COLUMNS + " FROM charges WHERE idempotency_key = ?", key, "find a charge by idempotency key");
    }

    Optional<Entry> byId(String id) {
        return one("SELECT " + COLUMNS + " FROM charges WHERE id = ?", id, "find a charge by id");
    }

    /** Every charge, oldest first; only those of {@code reference} unless it is null. */
    List<Charge> list(String reference) {
        String sql = "SELECT " + COLUMNS + " FROM charges" + (reference == null ? "" : " WHERE reference = ?") + " ORDER BY seq";
        try (Connection c = db.getConnection(); PreparedStatement select = c.prepareStatement(sql)) {
            if (reference != null) {
                select.setString(1, reference);
            }
            List<Charge> charges = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    charges.add(entry(rs).charge());
                }
            }
            return charges;
        } catch (SQLException e) {
            throw failure("list the ledger", e);
        }
    }

    private Optional<Entry> one(String sql, String parameter, String action) {
        try (Connection c = db.getConnection(); PreparedStatement select = c.prepareStatement(sql)) {
            select.setString(1, parameter);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(entry(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure(action, e);
        }
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        Charge charge = new Charge(rs.getString("id"), rs.getString("status"), rs.getLong("amount"), rs.getString("currency"),
                rs.getString("reference"), rs.getString("idempotency_key"), rs.getString("decline_code"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
        return new Entry(charge, rs.getString("token"));
    }

    private static StoreException failure(String action, SQLException e) {
        return new StoreException("payment provider could not " + action + " (SQL state " + e.getSQLState() + ")", e);
    }
}
