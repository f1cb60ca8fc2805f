package archway.store.postgres;

import archway.store.StoreConfig;
import archway.store.StoreException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one schema up to date with Flyway, one migrating process at a time.
 *
 * <p>Instances of a service start together and all migrate their schema. Flyway locks its
 * history table while it migrates, but creating the schema and that table comes before the
 * lock, and two first starts can race there. So the whole migration runs under a
 * session-level PostgreSQL advisory lock named after the schema, held on a connection of
 * its own (not from the pool, which may have a single connection that Flyway needs): the
 * second instance waits, then finds nothing left to do.
 */
final class SchemaMigration {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigration.class);
    static final String HISTORY_TABLE = "flyway_schema_history";

    private SchemaMigration() {
    }

    static void migrate(StoreConfig config, String schema, String location) {
        try (Connection lockConnection = DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password())) {
            advisoryLock(lockConnection, "pg_advisory_lock", schema);
            try {
                MigrateResult result = flyway(config, schema, location).migrate();
                if (result.migrationsExecuted > 0) {
                    LOG.info("schema {} migrated to version {} ({} migrations)", schema, result.targetSchemaVersion,
                            result.migrationsExecuted);
                }
            } finally {
                advisoryLock(lockConnection, "pg_advisory_unlock", schema);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot migrate schema " + schema + " at " + config.jdbcUrl() + ": " + e.getMessage(), e);
        } catch (FlywayException e) {
            throw new StoreException("migrating schema " + schema + " from " + location + " failed: " + e.getMessage(), e);
        }
    }

    private static Flyway flyway(StoreConfig config, String schema, String location) {
        return Flyway.configure()
                // its own unpooled connections, so the migration never waits for the pool
                .dataSource(config.jdbcUrl(), config.user(), config.password())
                .schemas(schema)
                .defaultSchema(schema)
                .table(HISTORY_TABLE)
                .locations(location)
                .failOnMissingLocations(true)
                .load();
    }

    private static void advisoryLock(Connection connection, String function, String schema) throws SQLException {
        // hashtext turns the name into the lock's integer key; the prefix keeps clear of other users' keys
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + function + "(hashtext(?))")) {
            statement.setString(1, "archway.migrate." + schema);
            statement.execute();
        }
    }
}
