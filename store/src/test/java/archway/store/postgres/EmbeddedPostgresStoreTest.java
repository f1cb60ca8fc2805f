package archway.store.postgres;

import archway.store.Store;
import archway.store.StoreContract;
import archway.store.embedded.EmbeddedPostgres;
import archway.store.embedded.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded PostgreSQL of the default run. */
class EmbeddedPostgresStoreTest extends StoreContract {

    @TempDir
    static Path folder;
    static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = TestPostgres.start(folder);
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @Override
    protected Store open(String schemaPrefix) {
        return PostgresStore.open(postgres.storeConfig(4).withSchemaPrefix(schemaPrefix));
    }

    @Override
    protected Connection adminConnection() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
    }
}
