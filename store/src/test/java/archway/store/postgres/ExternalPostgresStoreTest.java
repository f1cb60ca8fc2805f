package archway.store.postgres;

import archway.store.Store;
import archway.store.StoreConfig;
import archway.store.StoreContract;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The store contract on an external PostgreSQL server, such as the one CI machines run at
 * 127.0.0.1:5432: {@code ARCHWAY_TEST_PG_URL} (a JDBC URL), with {@code ARCHWAY_TEST_PG_USER}
 * (default {@code postgres}) and {@code ARCHWAY_TEST_PG_PASSWORD} (default empty). Skipped
 * only when the URL is unset; a server that is set but unreachable fails the tests.
 */
@EnabledIfEnvironmentVariable(named = "ARCHWAY_TEST_PG_URL", matches = ".+")
class ExternalPostgresStoreTest extends StoreContract {

    private static StoreConfig config() {
        return new StoreConfig(System.getenv("ARCHWAY_TEST_PG_URL"), env("ARCHWAY_TEST_PG_USER", "postgres"),
                env("ARCHWAY_TEST_PG_PASSWORD", ""), 4);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    @Override
    protected Store open(String schemaPrefix) {
        return PostgresStore.open(config().withSchemaPrefix(schemaPrefix));
    }

    @Override
    protected Connection adminConnection() throws SQLException {
        StoreConfig config = config();
        return DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
    }
}
