package archway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every adapter of the {@link Store} port must do, run against each engine by a
 * subclass. Each test works in schemas of its own (a random prefix), dropped afterwards, so
 * the contract can run against a shared server.
 */
public abstract class StoreContract {

    private final List<Store> opened = new ArrayList<>();
    private String prefix;

    /** The store under test, every schema name prefixed with {@code schemaPrefix}. */
    protected abstract Store open(String schemaPrefix);

    /** A connection to the same database with rights to drop schemas, for clean-up. */
    protected abstract Connection adminConnection() throws SQLException;

    @BeforeEach
    void choosePrefix() {
        prefix = "t" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000_0000, Integer.MAX_VALUE)) + "_";
    }

    @AfterEach
    void dropSchemas() throws SQLException {
        opened.forEach(Store::close);
        try (Connection connection = adminConnection();
             PreparedStatement find = connection.prepareStatement("SELECT nspname FROM pg_namespace WHERE starts_with(nspname, ?)")) {
            find.setString(1, prefix);
            List<String> schemas = new ArrayList<>();
            try (ResultSet rs = find.executeQuery()) {
                while (rs.next()) {
                    schemas.add(rs.getString(1));
                }
            }
            try (Statement drop = connection.createStatement()) {
                for (String schema : schemas) {
                    drop.execute("DROP SCHEMA " + schema + " CASCADE");
                }
            }
        }
    }

    private Store store() {
        Store store = open(prefix);
        opened.add(store);
        return store;
    }

    @Test
    void migratesASchemaFromItsOwnMigrationsWithTheHistoryInside() throws SQLException {
        DataSource alpha = store().schema("alpha");

        execute(alpha, "INSERT INTO notes (text, author) VALUES ('hello', 'ann')");

        assertThat(queryString(alpha, "SELECT current_schema()")).isEqualTo(prefix + "alpha");
        assertThat(queryLong(alpha, "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL")).isEqualTo(2);
        assertThat(queryString(alpha, "SELECT author FROM notes")).isEqualTo("ann");
    }

    @Test
    void keepsEachSchemasTablesToItself() throws SQLException {
        Store store = store();
        DataSource alpha = store.schema("alpha");
        DataSource beta = store.schema("beta");

        execute(alpha, "INSERT INTO notes (text) VALUES ('in alpha')");
        execute(beta, "INSERT INTO notes (title) VALUES ('in beta')");

        assertThat(queryString(alpha, "SELECT text FROM notes")).isEqualTo("in alpha");
        assertThat(queryString(beta, "SELECT title FROM notes")).isEqualTo("in beta");
        assertThat(queryLong(beta, "SELECT count(*) FROM notes")).isEqualTo(1);
    }

    @Test
    void returnsTheSamePoolForTheSameSchema() {
        Store store = store();
        assertThat(store.schema("alpha")).isSameAs(store.schema("alpha"));
    }

    @Test
    void keepsDataWhenTheStoreIsReopened() throws SQLException {
        Store first = store();
        execute(first.schema("alpha"), "INSERT INTO notes (text) VALUES ('kept')");
        first.close();

        DataSource again = store().schema("alpha");

        assertThat(queryString(again, "SELECT text FROM notes")).isEqualTo("kept");
        assertThat(queryLong(again, "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL")).isEqualTo(2);
    }

    @Test
    void migratesOnceWhenTwoStoresMigrateTheSameSchemaAtOnce() throws Exception {
        Store one = store();
        Store two = store();
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            CompletableFuture<DataSource> first = CompletableFuture.supplyAsync(() -> awaitThen(go, () -> one.schema("race")), pool);
            CompletableFuture<DataSource> second = CompletableFuture.supplyAsync(() -> awaitThen(go, () -> two.schema("race")), pool);
            go.countDown();

            DataSource a = first.get(60, TimeUnit.SECONDS);
            DataSource b = second.get(60, TimeUnit.SECONDS);

            assertThat(queryLong(a, "SELECT count(*) FROM runs")).isEqualTo(1);
            assertThat(queryLong(b, "SELECT count(*) FROM flyway_schema_history WHERE version IS NOT NULL")).isEqualTo(1);
        }
    }

    @Test
    void rejectsASchemaNameThatIsNotAnIdentifier() {
        Store store = store();
        for (String bad : List.of("", "Alpha", "1alpha", "alpha;drop", "al-pha", "a".repeat(42))) {
            assertThatThrownBy(() -> store.schema(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("schema name");
        }
    }

    @Test
    void failsNamingTheLocationWhenASchemaHasNoMigrations() {
        assertThatThrownBy(() -> store().schema("nothing_here"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("db/nothing_here");
    }

    private static <T> T awaitThen(CountDownLatch latch, Supplier<T> action) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return action.get();
    }

    protected static void execute(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    protected static long queryLong(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    protected static String queryString(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
