package archway.gateway.keys;

import archway.gateway.limits.LimitPolicy;
import archway.store.Store;
import archway.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The API keys in the {@code api_keys} table of the gateway's schema, in plain JDBC. */
public final class PostgresApiKeyStore implements ApiKeyStore {

    /** The gateway's schema in the store; its migrations are {@code db/gateway/V*.sql}. */
    public static final String SCHEMA = "gateway";

    private static final String COLUMNS = "id, client, plan, per_second, burst, daily_quota, secret_sha256, created_at, revoked_at";

    private final DataSource db;

    /** @param db a data source of the {@value #SCHEMA} schema */
    public PostgresApiKeyStore(DataSource db) {
        this.db = db;
    }

    /** The keys in {@code store}'s {@value #SCHEMA} schema, migrated if it is not yet. */
    public static PostgresApiKeyStore in(Store store) {
        return new PostgresApiKeyStore(store.schema(SCHEMA));
    }

    @Override
    public void insert(ApiKey key, String secretSha256) {
        String sql = "INSERT INTO api_keys (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)";
        try (Connection c = db.getConnection(); PreparedStatement insert = c.prepareStatement(sql)) {
            LimitPolicy limit = key.plan().limit();
            insert.setString(1, key.id());
            insert.setString(2, key.client());
            insert.setString(3, key.plan().name());
            insert.setLong(4, limit.perSecond());
            insert.setLong(5, limit.burst());
            insert.setLong(6, limit.dailyQuota());
            insert.setString(7, secretSha256);
            insert.setObject(8, OffsetDateTime.ofInstant(key.createdAt(), ZoneOffset.UTC));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw failure("store API key " + key.id(), e);
        }
    }

    @Override
    public boolean revoke(String id, Instant at) {
        String sql = "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL";
        try (Connection c = db.getConnection(); PreparedStatement update = c.prepareStatement(sql)) {
            update.setObject(1, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            update.setString(2, id);
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure("revoke API key " + id, e);
        }
    }

    @Override
    public List<StoredKey> all() {
        String sql = "SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at, id";
        try (Connection c = db.getConnection(); PreparedStatement select = c.prepareStatement(sql);
             ResultSet rs = select.executeQuery()) {
            List<StoredKey> keys = new ArrayList<>();
            while (rs.next()) {
                keys.add(storedKey(rs));
            }
            return keys;
        } catch (SQLException e) {
            throw failure("read the API keys", e);
        }
    }

    private static StoredKey storedKey(ResultSet rs) throws SQLException {
        LimitPolicy limit = new LimitPolicy(rs.getLong("per_second"), rs.getLong("burst"), rs.getLong("daily_quota"));
        ApiKey key = new ApiKey(rs.getString("id"), rs.getString("client"), new UsagePlan(rs.getString("plan"), limit),
                instant(rs, "created_at").orElseThrow(), instant(rs, "revoked_at"));
        return new StoredKey(key, rs.getString("secret_sha256"));
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }

    private static StoreException failure(String action, SQLException e) {
        return new StoreException("gateway could not " + action + " (SQL state " + e.getSQLState() + ")", e);
    }
}
