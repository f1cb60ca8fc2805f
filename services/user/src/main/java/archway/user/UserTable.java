package archway.user;

import archway.store.StoreException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** The {@code users} table, in plain JDBC. */
final class UserTable {

    /** An account with its password hash, which never leaves the service. */
    record Account(User user, String passwordHash) {
    }

    private static final String COLUMNS = "id, email, name, roles, created_at";

    private final DataSource db;

    UserTable(DataSource db) {
        this.db = db;
    }

    /** Inserts the account; empty when the e-mail is taken (in any letter case). */
    Optional<User> insert(UUID id, String email, String name, String passwordHash, List<String> roles) {
        String sql = "INSERT INTO users (id, email, name, password_hash, roles) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT ((lower(email))) DO NOTHING RETURNING " + COLUMNS;
        try (Connection c = db.getConnection(); PreparedStatement insert = c.prepareStatement(sql)) {
            insert.setObject(1, id);
            insert.setString(2, email);
            insert.setString(3, name);
            insert.setString(4, passwordHash);
            insert.setArray(5, c.createArrayOf("text", roles.toArray()));
            try (ResultSet rs = insert.executeQuery()) {
                return rs.next() ? Optional.of(user(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("insert an account", e);
        }
    }

    Optional<Account> byEmail(String email) {
        String sql = "SELECT " + COLUMNS + ", password_hash FROM users WHERE lower(email) = lower(?)";
        try (Connection c = db.getConnection(); PreparedStatement select = c.prepareStatement(sql)) {
            select.setString(1, email);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(new Account(user(rs), rs.getString("password_hash"))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("find an account by e-mail", e);
        }
    }

    Optional<User> byId(UUID id) {
        try (Connection c = db.getConnection(); PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM users WHERE id = ?")) {
            select.setObject(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(user(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("find an account by id", e);
        }
    }

    private static User user(ResultSet rs) throws SQLException {
        Array roles = rs.getArray("roles");
        return new User(rs.getObject("id", UUID.class), rs.getString("email"), rs.getString("name"),
                Arrays.asList((String[]) roles.getArray()), rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    private static StoreException failure(String action, SQLException e) {
        return new StoreException("user service could not " + action + " (SQL state " + e.getSQLState() + ")", e);
    }
}
